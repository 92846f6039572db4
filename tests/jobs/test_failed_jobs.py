import pytest
from celery import shared_task
from django.urls import reverse

from portal.celery import app
from portal.jobs import services
from portal.jobs.base import RETRY_BACKOFF_MAX
from portal.jobs.models import FailedJob, FailedJobStatus

FLAKY_TASK = "tests.jobs.flaky"
broken = {"on": True}
done = []


@shared_task(name=FLAKY_TASK, autoretry_for=(RuntimeError,), max_retries=0)
def flaky(item: str, *, times: int = 1):
    if broken["on"]:
        raise RuntimeError(f"cannot do {item}")
    done.append((item, times))


@pytest.fixture(autouse=True)
def reset():
    broken["on"] = True
    done.clear()


def run_until_it_fails_for_good():
    # As a worker runs it: errors are not propagated to the caller, so Celery's failure signal is sent.
    flaky.apply(("hồ sơ 7",), {"times": 2}, throw=False)


def test_a_task_failing_past_its_retries_is_kept_once_with_its_arguments_and_error(db):
    run_until_it_fails_for_good()
    job = FailedJob.objects.get()
    assert (job.task_name, job.args, job.kwargs) == (FLAKY_TASK, ["hồ sơ 7"], {"times": 2})
    assert job.status == FailedJobStatus.FAILED
    assert job.error == "RuntimeError: cannot do hồ sơ 7"
    assert "raise RuntimeError" in job.traceback
    assert job.failed_at is not None


def test_a_rerun_that_succeeds_marks_the_job_succeeded(db, django_capture_on_commit_callbacks):
    run_until_it_fails_for_good()
    broken["on"] = False
    job = FailedJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.failed_job_rerun(job_id=job.pk)
    job.refresh_from_db()
    assert done == [("hồ sơ 7", 2)]
    assert job.status == FailedJobStatus.SUCCEEDED and job.succeeded_at is not None


def test_a_rerun_that_fails_again_puts_the_same_job_back_to_failed(db, monkeypatch):
    run_until_it_fails_for_good()
    job = FailedJob.objects.get()
    monkeypatch.setattr(services, "enqueue", lambda *args, **kwargs: True)
    services.failed_job_rerun(job_id=job.pk)
    job.refresh_from_db()
    flaky.apply(("hồ sơ 7",), {"times": 2}, task_id=job.rerun_task_id, throw=False)
    job.refresh_from_db()
    assert FailedJob.objects.count() == 1
    assert (job.status, job.failures) == (FailedJobStatus.FAILED, 2)


def test_a_rerun_the_broker_cannot_take_leaves_the_job_failed(db, django_capture_on_commit_callbacks, monkeypatch):
    run_until_it_fails_for_good()
    job = FailedJob.objects.get()
    monkeypatch.setattr(services, "enqueue", lambda *args, **kwargs: False)
    with django_capture_on_commit_callbacks(execute=True):
        services.failed_job_rerun(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == FailedJobStatus.FAILED


def test_a_job_whose_task_is_gone_cannot_be_rerun(db):
    job = FailedJob.objects.create(
        task_name="gone.task", task_id="abc", error="x", failed_at="2026-01-05T08:00:00+07:00"
    )
    with pytest.raises(services.JobCannotRerun):
        services.failed_job_rerun(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == FailedJobStatus.FAILED


def test_the_admin_lists_failed_jobs_and_reruns_them(db, django_user_model, client, django_capture_on_commit_callbacks):
    run_until_it_fails_for_good()
    admin = django_user_model.objects.create_superuser(phone="0901000999", password="Quan@Tri2026")
    client.force_login(admin)
    changelist = reverse("admin:jobs_failedjob_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert FLAKY_TASK in page.content.decode() and "cannot do hồ sơ 7" in page.content.decode()

    broken["on"] = False
    job = FailedJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(changelist, {"action": "rerun", "_selected_action": [job.pk]}, follow=True)
    assert "Đã cho chạy lại 1 tác vụ." in answer.content.decode()
    job.refresh_from_db()
    assert job.status == FailedJobStatus.SUCCEEDED
    assert done == [("hồ sơ 7", 2)]


def test_every_task_acks_late_is_requeued_if_its_worker_dies_and_waits_less_than_the_visibility_timeout(settings):
    for name, task in app.tasks.items():
        if name.startswith("celery."):
            continue
        assert task.acks_late and task.reject_on_worker_lost, name
        assert task.max_retries is not None, name
        assert task.retry_backoff_max <= RETRY_BACKOFF_MAX < settings.CELERY_VISIBILITY_TIMEOUT, name
