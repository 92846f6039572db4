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
from portal.notifications.models import MessageStatus, OutboundMessage
from portal.notifications.providers import DeliveryError
from portal.notifications.services import message_deliver
from postal.providers.mockpost import simulator as post


def run_pending_work() -> None:
    """Refunds asked for and answered, the bank's and the post office's notices delivered, the SMS and
    e-mail sent (their tasks, queued after commit, then find nothing left to do)."""
    for payment_id in Payment.objects.filter(status=PaymentStatus.REFUND_PENDING, refund_ref="").values_list(
        "pk", flat=True
    ):
        refund_request(payment_id=payment_id)
    for ref in GatewayTransaction.objects.filter(refund_status=RefundStatus.PENDING).values_list("ref", flat=True):
        bank.gateway_process_refund(ref=ref)
    deliver_notices()
    deliver_messages()


def deliver_notices() -> None:
    for notice_id in bank.notices_undelivered():
        bank.notice_deliver(notice_id=notice_id)
    for notice_id in post.notices_undelivered():
        post.notice_deliver(notice_id=notice_id)


def deliver_messages(*, limit: int = 1000) -> int:
    queued = OutboundMessage.objects.filter(status=MessageStatus.QUEUED).order_by("id").values_list("pk", flat=True)
    sent = 0
    for message_id in list(queued[:limit]):
        try:
            message_deliver(message_id=message_id)
        except DeliveryError:
            continue  # recorded on the row; the worker's retries take it from here
        sent += 1
    return sent
