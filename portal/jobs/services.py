"""Failed background jobs: recorded when a task fails for good, run again on an operator's request."""

import json
import logging
import uuid
from functools import partial

from celery import current_app
from django.db import transaction
from django.utils import timezone

from portal.background import enqueue
from portal.jobs.models import FailedJob, FailedJobStatus, Heartbeat

logger = logging.getLogger(__name__)

# A re-run's task id starts with this, so its success is recognised without a query per task.
RERUN_TASK_ID_PREFIX = "rerun-"


class JobCannotRerun(Exception):
    """The job's task is no longer registered (renamed or removed): it cannot be queued again."""


def _json_safe(value):
    return json.loads(json.dumps(value, default=str))


def failed_job_record(*, task_name: str, task_id: str, args, kwargs, error: str, traceback: str = "") -> FailedJob:
    """Keep a task that failed for good; a failed re-run puts its job back to failed (one row per job)."""
    now = timezone.now()
    with transaction.atomic():
        job = FailedJob.objects.select_for_update().filter(rerun_task_id=task_id).first() if task_id else None
        if job is None:
            job, created = FailedJob.objects.select_for_update().get_or_create(
                task_id=task_id,
                defaults={
                    "task_name": task_name,
                    "args": _json_safe(list(args or ())),
                    "kwargs": _json_safe(dict(kwargs or {})),
                    "error": error,
                    "traceback": traceback,
                    "failed_at": now,
                },
            )
            if created:
                return job
        job.failures += 1
        job.error, job.traceback, job.failed_at = error, traceback, now
        job.status = FailedJobStatus.FAILED
        job.save(update_fields=["failures", "error", "traceback", "failed_at", "status"])
        return job


def failed_job_rerun(*, job_id: int) -> FailedJob:
    """Queue the job's task again with the same arguments, once the current transaction commits.

    Tasks are idempotent, so a re-run of work that meanwhile got done does nothing. If the broker
    cannot take it, the job goes back to failed and can be run again later.
    """
    with transaction.atomic():
        job = FailedJob.objects.select_for_update().get(pk=job_id)
        if job.task_name not in current_app.tasks:
            raise JobCannotRerun(job.task_name)
        job.status = FailedJobStatus.RERUN
        job.rerun_task_id = f"{RERUN_TASK_ID_PREFIX}{job.pk}-{uuid.uuid4().hex}"
        job.rerun_at = timezone.now()
        job.succeeded_at = None
        job.save(update_fields=["status", "rerun_task_id", "rerun_at", "succeeded_at"])
        transaction.on_commit(partial(_send_rerun, job.pk, job.task_name, job.args, job.kwargs, job.rerun_task_id))
    return job


def _send_rerun(job_id: int, task_name: str, args: list, kwargs: dict, rerun_task_id: str) -> None:
    queued = enqueue(
        task_name, *args, kwargs=kwargs, task_id=rerun_task_id, description=f"the re-run of failed job {job_id}"
    )
    if not queued:
        FailedJob.objects.filter(pk=job_id, rerun_task_id=rerun_task_id, status=FailedJobStatus.RERUN).update(
            status=FailedJobStatus.FAILED
        )


def failed_job_rerun_succeeded(*, task_id: str) -> int:
    """Mark the job whose re-run this was as done; 0 when the task was not a re-run."""
    if not task_id or not task_id.startswith(RERUN_TASK_ID_PREFIX):
        return 0
    return FailedJob.objects.filter(rerun_task_id=task_id).update(
        status=FailedJobStatus.SUCCEEDED, succeeded_at=timezone.now()
    )


def heartbeat_record(*, name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
