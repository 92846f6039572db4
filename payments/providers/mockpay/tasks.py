"""The simulator's background work: notices retried with backoff, refunds decided, the daily file."""

from celery import shared_task

from payments.providers.mockpay import settlement, simulator


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
    return simulator.notices_redeliver()


@shared_task
def write_daily_settlement() -> str:
    return str(settlement.settlement_write(day=settlement.settlement_yesterday()))
