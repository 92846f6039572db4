"""The gateway simulator's own operations: sessions, the payer's choice, refunds and notices.

It behaves like a real gateway towards the portal: it signs every notice, retries the ones
that were not acknowledged with backoff, and decides refunds on its own time.
"""

import json
import logging

from django.conf import settings
from django.db import transaction

import portal.clock as clock
from payments import signing
from payments.constants import NoticeEvent, PaymentMethod
from payments.providers.base import ProviderError
from payments.providers.mockpay.models import GatewayNotice, GatewayStatus, GatewayTransaction, RefundStatus, new_ref
from payments.services.callbacks import payment_callback_receive
from portal.background import enqueue, enqueue_on_commit
from portal.errors import ServiceError
from portal.webhooks import DeliveryFailed, post_signed

logger = logging.getLogger(__name__)

OUTCOMES = ("succeeded", "failed", "cancelled", "timeout")
DELIVER_NOTICE_TASK = "payments.providers.mockpay.tasks.deliver_gateway_notice"
PROCESS_REFUND_TASK = "payments.providers.mockpay.tasks.process_gateway_refund"


class NoticeRejected(Exception):
    """The merchant did not answer 2xx; the notice stays queued and is sent again."""


def gateway_open(*, merchant_payment_id, amount, description, return_url, expires_at) -> GatewayTransaction:
    # Asked again for the same payment (the merchant lost the first answer), it gives back the open session.
    for tx in GatewayTransaction.objects.filter(merchant_payment_id=merchant_payment_id, amount=amount):
        if tx.effective_status() == GatewayStatus.PENDING:
            return tx
    return GatewayTransaction.objects.create(
        merchant_payment_id=merchant_payment_id,
        amount=amount,
        description=description,
        return_url=return_url,
        expires_at=expires_at,
    )


@transaction.atomic
def gateway_complete(*, ref: str, outcome: str, method: str) -> GatewayTransaction:
    """The payer's choice on the simulator page. A time-out does nothing: the session just runs out."""
    tx = GatewayTransaction.objects.select_for_update().get(ref=ref)
    if tx.effective_status() != GatewayStatus.PENDING or outcome == "timeout":
        return tx
    if outcome not in OUTCOMES or method not in PaymentMethod.values:
        raise ValueError(outcome)
    tx.status, tx.method, tx.completed_at = outcome, method, clock.now()
    tx.save(update_fields=["status", "method", "completed_at"])
    if outcome == "succeeded":
        notice_queue(tx, event=NoticeEvent.PAYMENT_SUCCEEDED, ref=tx.ref)
    elif outcome == "failed":
        notice_queue(tx, event=NoticeEvent.PAYMENT_FAILED, ref=tx.ref)
    return tx


@transaction.atomic
def gateway_refund(*, ref: str, amount: int) -> str:
    tx = GatewayTransaction.objects.select_for_update().filter(ref=ref).first()
    if tx is None or tx.status != GatewayStatus.SUCCEEDED or amount != tx.amount:
        raise ProviderError(f"refund refused for {ref}")
    tx.refund_ref, tx.refund_status = new_ref(), RefundStatus.PENDING
    tx.refund_attempts += 1
    tx.save(update_fields=["refund_ref", "refund_status", "refund_attempts"])
    enqueue_on_commit(PROCESS_REFUND_TASK, tx.ref, description=f"gateway refund {tx.ref}")
    return tx.refund_ref


@transaction.atomic
def gateway_process_refund(*, ref: str) -> GatewayTransaction:
    """The bank's answer to a refund. MOCKPAY_FAILING_REFUNDS makes the first N attempts fail (demos, tests)."""
    tx = GatewayTransaction.objects.select_for_update().get(ref=ref)
    if tx.refund_status != RefundStatus.PENDING:
        return tx
    if tx.refund_attempts <= settings.MOCKPAY_FAILING_REFUNDS:
        tx.refund_status = RefundStatus.FAILED
        tx.save(update_fields=["refund_status"])
        notice_queue(tx, event=NoticeEvent.REFUND_FAILED, ref=tx.refund_ref)
        return tx
    tx.refund_status, tx.status, tx.refunded_at = RefundStatus.SUCCEEDED, GatewayStatus.REFUNDED, clock.now()
    tx.save(update_fields=["refund_status", "status", "refunded_at"])
    notice_queue(tx, event=NoticeEvent.REFUND_SUCCEEDED, ref=tx.refund_ref)
    return tx


def notice_body(tx: GatewayTransaction, *, event: str, ref: str) -> str:
    return json.dumps(
        {
            "event": event,
            "payment_id": tx.merchant_payment_id,
            "provider_ref": ref,
            "amount": tx.amount,
            "occurred_at": clock.now().isoformat(),
        },
        separators=(",", ":"),
    )


def notice_queue(tx: GatewayTransaction, *, event: str, ref: str) -> GatewayNotice:
    notice = GatewayNotice.objects.create(transaction=tx, event=event, body=notice_body(tx, event=event, ref=ref))
    enqueue_on_commit(DELIVER_NOTICE_TASK, notice.pk, description=f"gateway notice {notice.pk}")
    return notice


def notice_deliver(*, notice_id: int) -> GatewayNotice:
    """Sign (with a fresh timestamp) and send one notice; a refusal is recorded and re-raised for a retry."""
    with transaction.atomic():
        notice = GatewayNotice.objects.select_for_update().get(pk=notice_id)
        if notice.delivered_at:
            return notice
        notice.attempts += 1
        notice.save(update_fields=["attempts"])
    body = notice.body.encode()
    try:
        post_notice(body, signing.sign(body))
    except NoticeRejected as exc:
        GatewayNotice.objects.filter(pk=notice_id).update(last_error=str(exc)[:500])
        raise
    GatewayNotice.objects.filter(pk=notice_id).update(delivered_at=clock.now(), last_error="")
    notice.refresh_from_db()
    return notice


def post_notice(body: bytes, signature: str) -> None:
    """Deliver over HTTP when MOCKPAY_NOTICE_URL is set; otherwise hand the raw bytes to the portal in-process."""
    url = settings.MOCKPAY_NOTICE_URL
    try:
        if url:
            post_signed(url, body, signature)
        else:
            payment_callback_receive(raw_body=body, signature=signature)
    except ServiceError as exc:
        raise NoticeRejected(f"{exc.status_code} {exc.as_dict()}") from exc
    except DeliveryFailed as exc:
        raise NoticeRejected(str(exc)) from exc


def notices_undelivered(*, limit: int = 200) -> list[int]:
    return list(
        GatewayNotice.objects.filter(delivered_at__isnull=True, attempts__lt=settings.MOCKPAY_NOTICE_MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def notices_redeliver() -> int:
    """Notices whose task was lost (broker outage, retries used up early) are queued again."""
    ids = notices_undelivered()
    for notice_id in ids:
        enqueue(DELIVER_NOTICE_TASK, notice_id, description=f"gateway notice {notice_id}")
    return len(ids)
