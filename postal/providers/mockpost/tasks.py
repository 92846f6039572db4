"""The simulator's background work: parcels moved on their schedule, notices retried with backoff."""

from celery import shared_task

from postal.providers.mockpost import simulator


@shared_task(
    name=simulator.DELIVER_NOTICE_TASK,
    bind=True,
    autoretry_for=(simulator.NoticeRejected,),
    retry_backoff=10,
    max_retries=8,
)
def deliver_parcel_notice(self, notice_id: int) -> None:
    simulator.notice_deliver(notice_id=notice_id)


@shared_task
def advance_due_parcels() -> int:
    return simulator.parcels_advance_due()


@shared_task
def redeliver_parcel_notices() -> int:
    return simulator.notices_redeliver()
