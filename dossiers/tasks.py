"""Background work on dossier attachments; thin wrappers around the services, safe to run twice."""

from celery import shared_task

from dossiers.services.attachments import (
    MAKE_THUMBNAIL_TASK,
    attachment_make_thumbnail,
    attachment_thumbnails_sweep,
)


@shared_task(
    name=MAKE_THUMBNAIL_TASK,
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=5,
    max_retries=5,
)
def make_attachment_thumbnail(self, attachment_id: int) -> None:
    attachment_make_thumbnail(attachment_id=attachment_id)


@shared_task
def sweep_attachment_thumbnails() -> int:
    return attachment_thumbnails_sweep()


# Celery autodiscovery imports only dossiers.tasks: pull in the overdue sweep so it registers.
from dossiers import tasks_overdue  # noqa: E402, F401
