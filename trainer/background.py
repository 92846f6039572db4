"""The simulators' and the portal's background work, run now and in this process.

In a demo the worker would get to it within seconds; the demo world and the scenarios want it done
before they tell the trainer what comes next. Every piece is the idempotent service its task runs, so
a worker that picks up the same job later changes nothing.
"""

from payments.constants import PaymentStatus
from payments.models import Payment
from payments.providers.mockpay import simulator as bank
from payments.providers.mockpay.models import GatewayTransaction, RefundStatus
from payments.services.refunds import refund_request
from postal.providers.mockpost import simulator as post


def run_pending_work() -> None:
    """Refunds asked for and answered, the bank's and the post office's notices delivered."""
    for payment_id in Payment.objects.filter(status=PaymentStatus.REFUND_PENDING, refund_ref="").values_list(
        "pk", flat=True
    ):
        refund_request(payment_id=payment_id)
    for ref in GatewayTransaction.objects.filter(refund_status=RefundStatus.PENDING).values_list("ref", flat=True):
        bank.gateway_process_refund(ref=ref)
    deliver_notices()


def deliver_notices() -> None:
    for notice_id in bank.notices_undelivered():
        bank.notice_deliver(notice_id=notice_id)
    for notice_id in post.notices_undelivered():
        post.notice_deliver(notice_id=notice_id)
