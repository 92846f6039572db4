"""Celery signals that keep failed jobs visible. Connected in JobsConfig.ready (every process)."""

import logging

from celery.signals import task_failure, task_success

from portal.jobs import services

logger = logging.getLogger(__name__)


@task_failure.connect
def keep_failed_job(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **_):
    # Sent once a task will not be retried any more (a retry is a task_retry, not a failure).
    try:
        services.failed_job_record(
            task_name=sender.name,
            task_id=task_id or "",
            args=args,
            kwargs=kwargs,
            error=f"{type(exception).__name__}: {exception}",
            traceback=str(einfo.traceback) if einfo is not None else "",
        )
    except Exception:  # the database may be what failed: the worker log is then the only record
        logger.exception("Could not record the failure of task %s (%s)", getattr(sender, "name", sender), task_id)


@task_success.connect
def mark_rerun_succeeded(sender=None, **_):
    try:
        services.failed_job_rerun_succeeded(task_id=sender.request.id)
    except Exception:
        logger.exception("Could not mark the re-run %s as succeeded", sender.request.id)
