from celery import shared_task

from portal.jobs import services

WORKER_HEARTBEAT_TASK = "portal.jobs.tasks.record_worker_heartbeat"


@shared_task(name=WORKER_HEARTBEAT_TASK, max_retries=0)
def record_worker_heartbeat() -> None:
    # Sent by beat every HEALTH_HEARTBEAT_SECONDS (with that expiry): a fresh row means a worker consumes tasks.
    services.heartbeat_record(name="worker")
