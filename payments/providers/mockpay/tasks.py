"""The simulator's background work: notices retried with backoff, refunds decided, the daily file."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from payments.providers.mockpay import settlement, simulator
from portal.background import enqueue


@shared_task(
    name=simulator.DELIVER_NOTICE_TASK,
    bind=True,
    autoretry_for=(simulator.NoticeRejected,),
    retry_backoff=10,
    max_retries=8,
)
def deliver_gateway_notice(self, notice_id: int) -> None:
    simulator.notice_deliver(notice_id=notice_id)


@shared_task(name=simulator.PROCESS_REFUND_TASK)
def process_gateway_refund(ref: str) -> None:
    simulator.gateway_process_refund(ref=ref)


@shared_task
def redeliver_gateway_notices() -> int:
    """Notices whose task was lost (broker outage, retries used up early) are sent again."""
    ids = simulator.notices_undelivered()
    for notice_id in ids:
        enqueue(deliver_gateway_notice, notice_id, description=f"gateway notice {notice_id}")
    return len(ids)


@shared_task
def write_daily_settlement() -> str:
    yesterday = timezone.localdate() - timedelta(days=1)
    return str(settlement.settlement_write(day=yesterday))
