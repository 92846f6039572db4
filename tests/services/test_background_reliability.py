"""Background work survives what production does to it: a worker killed mid-task, the broker stopped
while citizens submit, a task that keeps failing, and /healthz telling which part is down.

Worker and beat run as real processes (solo pool) on this test's database and a private Redis, with
short timings set through the environment (visibility timeout, heartbeat) so each test stays short.
"""

import time
from datetime import timedelta

import pytest
from django.urls import reverse

from payments.providers.mockpay.models import GatewayNotice
from payments.providers.mockpay.simulator import DELIVER_NOTICE_TASK
from payments.providers.mockpay.tasks import deliver_gateway_notice
from portal.jobs.models import FailedJob, FailedJobStatus
from portal.notifications import services as notifications
from portal.notifications.models import MessageStatus, OutboundMessage
from tests.dossiers.builders import make_dossier, receive
from tests.payments.helpers import level4_procedure, pay_on_gateway, start
from tests.services.conftest import CeleryProcess, free_port, wait_for
from tests.services.recording_sms import lines

pytestmark = [pytest.mark.services(needs=("postgres", "redis")), pytest.mark.django_db(transaction=True)]

RECORDING_SMS = "tests.services.recording_sms.RecordingSms"


@pytest.fixture
def processes():
    started = []
    yield started
    for process in started:
        process.stop()


def worker_on(private_redis, tmp_path, processes, **env) -> CeleryProcess:
    worker = CeleryProcess("worker", private_redis.url, tmp_path, **env)
    processes.append(worker)
    return worker


def test_a_worker_killed_mid_task_leaves_it_to_run_again_to_completion_once(private_redis, tmp_path, processes):
    sms_log = tmp_path / "sms.log"
    worker = worker_on(
        private_redis,
        tmp_path,
        processes,
        SMS_PROVIDER=RECORDING_SMS,
        RECORDING_SMS_LOG=sms_log,
        RECORDING_SMS_DELAY=3,
        CELERY_VISIBILITY_TIMEOUT=4,
    ).start()
    message = notifications.message_send(channel="sms", recipient="0912000111", body="Hồ sơ G01.2026.000123")

    assert wait_for(lambda: lines(sms_log.with_suffix(".started")), timeout=30), worker.output()
    worker.kill()  # mid-send: the delivery's transaction dies with it, the message stays unacknowledged
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and lines(sms_log) == []

    worker.start()  # the broker gives the message back once its visibility timeout has passed

    def sent():
        message.refresh_from_db()
        return message.status == MessageStatus.SENT

    assert wait_for(sent, timeout=40), worker.output()
    time.sleep(1)
    message.refresh_from_db()
    assert message.attempts == 1
    assert lines(sms_log) == ["Hồ sơ G01.2026.000123"]  # completed once
    assert len(lines(sms_log.with_suffix(".started"))) == 2  # begun twice: the killed run and the redelivery


def test_redis_stopped_during_30_submissions_loses_no_notice_and_sends_none_twice(private_redis, tmp_path, processes):
    sms_log = tmp_path / "sms.log"
    worker = worker_on(private_redis, tmp_path, processes, SMS_PROVIDER=RECORDING_SMS, RECORDING_SMS_LOG=sms_log)
    worker.start()
    dossiers = [make_dossier("submitted") for _ in range(30)]  # receipt texts the applicant (submitting does not)
    already = set(OutboundMessage.objects.values_list("id", flat=True))

    codes = []
    for index, dossier in enumerate(dossiers):
        if index == 10:
            private_redis.stop()
        if index == 20:
            private_redis.start()  # empty: whatever was queued in it is gone with it
        started = time.monotonic()
        codes.append(receive(dossier).code)
        assert time.monotonic() - started < 10, "a move must not wait long on a dead broker"

    notices = OutboundMessage.objects.exclude(id__in=already).filter(channel="sms")
    assert notices.count() == 30
    assert notices.filter(status=MessageStatus.QUEUED).count() >= 10  # those of the outage: never published
    # What the periodic relay does once the broker is back; twice, racing the deliveries under way.
    notifications.messages_relay_queued(older_than=timedelta(0))
    notifications.messages_relay_queued(older_than=timedelta(0))

    assert wait_for(lambda: not notices.exclude(status=MessageStatus.SENT).exists(), timeout=60), worker.output()
    time.sleep(1)
    assert set(notices.values_list("attempts", flat=True)) == {1}
    sent = lines(sms_log)
    assert len(sent) == 30
    for code in codes:
        assert sum(code in body for body in sent) == 1, code


def test_a_task_failing_past_its_cap_shows_in_the_admin_and_succeeds_when_run_again(
    celery_worker_on_redis, settings, monkeypatch, client, django_user_model
):
    settings.PAYMENT_SETTLEMENT_DIR = ""
    settings.MOCKPAY_FAILING_REFUNDS = 0
    settings.MOCKPAY_NOTICE_URL = f"http://127.0.0.1:{free_port()}/api/v1/payments/callback/"  # nobody listens
    monkeypatch.setattr(deliver_gateway_notice, "max_retries", 1)
    payment = start(make_dossier("submitted", procedure=level4_procedure()))
    pay_on_gateway(payment)
    notice = GatewayNotice.objects.get(transaction__ref=payment.provider_ref)

    jobs = FailedJob.objects.filter(task_name=DELIVER_NOTICE_TASK, args=[notice.pk])
    assert wait_for(jobs.exists, timeout=30)
    job = jobs.get()
    notice.refresh_from_db()
    assert notice.attempts == 2 and notice.delivered_at is None  # the first try and its one retry
    assert job.status == FailedJobStatus.FAILED and "NoticeRejected" in job.error

    admin = django_user_model.objects.create_superuser(phone="0901000888", password="Quan@Tri2026")
    client.force_login(admin)
    changelist = reverse("admin:jobs_failedjob_changelist")
    page = client.get(changelist).content.decode()
    assert DELIVER_NOTICE_TASK in page and "NoticeRejected" in page

    settings.MOCKPAY_NOTICE_URL = ""  # the portal answers again (in-process handover)
    client.post(changelist, {"action": "rerun", "_selected_action": [job.pk]})

    def succeeded():
        job.refresh_from_db()
        return job.status == FailedJobStatus.SUCCEEDED

    assert wait_for(succeeded, timeout=30)
    notice.refresh_from_db()
    payment.refresh_from_db()
    assert notice.delivered_at is not None and payment.status == "succeeded"


def test_healthz_names_the_broker_then_the_worker_when_stopped_and_is_healthy_again_after(
    private_redis, tmp_path, processes, client, settings
):
    settings.HEALTH_STALE_AFTER_SECONDS = 4
    timings = {"HEALTH_HEARTBEAT_SECONDS": 1}
    worker = worker_on(private_redis, tmp_path, processes, **timings).start()
    beat = CeleryProcess("beat", private_redis.url, tmp_path, **timings)
    processes.append(beat.start())

    def health_is(status: int, *failing: str):
        def check():
            answer = client.get("/healthz")
            body = answer.json()
            return answer.status_code == status and all(body[part] != "ok" for part in failing)

        return check

    assert wait_for(health_is(200), timeout=60), worker.output() + beat.output()

    private_redis.stop()
    started = time.monotonic()
    assert wait_for(health_is(503, "broker"), timeout=60)
    assert time.monotonic() - started < 10
    assert client.get("/healthz").json()["database"] == "ok"

    private_redis.start()
    assert wait_for(health_is(200), timeout=60), worker.output() + beat.output()

    worker.stop()
    assert wait_for(health_is(503, "worker"), timeout=60)
    body = client.get("/healthz").json()
    assert body["broker"] == body["beat"] == body["database"] == "ok"

    worker.start()
    assert wait_for(health_is(200), timeout=60), worker.output()
