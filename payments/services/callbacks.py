"""The gateway's server-to-server notice: verify, then apply once.

Rules: the signature is checked over the raw bytes before anything is parsed; a notice signed
more than five minutes away from now is stale; a notice already seen is answered 200 and changes
nothing (its key is unique and the payment row is locked while it is checked); a move the state
machine refuses (a failure after a success) changes nothing; an amount that is not the payment's
is refused and raises an alert that outlives the refused request.

A success reported after the gateway had reported the same payment failed is never ignored: it raises
an alert naming the payment, and the payment moves to succeeded once the gateway confirms it when
asked (at once, outside any transaction, and again by the poller while the payment stays failed).
"""

import json
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from payments import signing
from payments.constants import NOTICE_TARGET, AlertKind, NoticeEvent, PaymentStatus
from payments.models import Payment, PaymentEvent
from payments.providers.base import ProviderError
from payments.services.core import alert_raise, payment_lock, payment_move
from payments.services.sync import payment_sync
from portal.errors import ServiceError

logger = logging.getLogger(__name__)

ERR_SIGNATURE = gettext_noop("Chữ ký không hợp lệ.")
ERR_STALE = gettext_noop("Thông báo đã quá hạn (dấu thời gian lệch quá 5 phút).")
ERR_BODY = gettext_noop("Nội dung thông báo không phải JSON hợp lệ.")
ERR_FIELD = gettext_noop("Thiếu hoặc sai giá trị.")
ERR_UNKNOWN_PAYMENT = gettext_noop("Không có giao dịch thanh toán này.")
ERR_REF = gettext_noop("Mã giao dịch không khớp với giao dịch thanh toán.")
ERR_AMOUNT = gettext_noop("Số tiền không khớp với giao dịch thanh toán.")

APPLIED, DUPLICATE, IGNORED = "applied", "duplicate", "ignored"
# Answered while a reported success waits for the gateway to confirm it (see _success_after_failure).
TO_CONFIRM = "to_confirm"
REFUND_EVENTS = frozenset({NoticeEvent.REFUND_SUCCEEDED, NoticeEvent.REFUND_FAILED})


@dataclass(frozen=True)
class Notice:
    event: str
    payment_id: str
    provider_ref: str
    amount: int
    occurred_at: str

    @property
    def key(self) -> str:
        return f"{self.event}:{self.provider_ref}"


class AmountMismatch(ServiceError):
    pass


def notice_verify(*, raw_body: bytes, signature: str) -> None:
    try:
        signing.verify(raw_body, signature)
    except signing.SignatureError as exc:
        message = ERR_STALE if str(exc) == "stale" else ERR_SIGNATURE
        raise ServiceError(_(message), field="signature", code=f"signature_{exc}") from exc


def notice_parse(raw_body: bytes) -> Notice:
    try:
        body = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError(_(ERR_BODY), field="body") from exc
    if not isinstance(body, dict):
        raise ServiceError(_(ERR_BODY), field="body")
    checks = {
        "event": lambda v: v in NoticeEvent.values,
        "payment_id": lambda v: isinstance(v, str) and 0 < len(v) <= 64,
        "provider_ref": lambda v: isinstance(v, str) and 0 < len(v) <= 64,
        "amount": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "occurred_at": lambda v: isinstance(v, str) and parse_datetime(v) is not None,
    }
    for field, check in checks.items():
        try:
            ok = check(body.get(field))
        except ValueError:
            ok = False
        if not ok:
            raise ServiceError(_(ERR_FIELD), field=field)
    return Notice(**{field: body[field] for field in checks})


def payment_callback_receive(*, raw_body: bytes, signature: str) -> str:
    """Verify and apply one notice; returns applied, duplicate or ignored (all answered 200)."""
    notice_verify(raw_body=raw_body, signature=signature)
    notice = notice_parse(raw_body)
    try:
        result = _apply(notice)
    except AmountMismatch as exc:
        # Raised after the rollback of _apply, so the alert is written in its own transaction.
        alert_raise(
            kind=AlertKind.AMOUNT_MISMATCH,
            payment=Payment.objects.filter(public_id=notice.payment_id).first(),
            detail=_("Thông báo {event} báo số tiền {amount}, khác số tiền của giao dịch.").format(
                event=notice.event, amount=notice.amount
            ),
            data={"notice": notice.__dict__},
        )
        raise exc
    if result != TO_CONFIRM:
        return result
    return APPLIED if _confirm_with_gateway(notice) else IGNORED


def _confirm_with_gateway(notice: Notice) -> bool:
    """Ask the gateway about a success it reported after a failure; True when the payment moved.

    Outside any transaction (a real gateway is an HTTP call). A gateway that does not answer leaves
    the payment failed with its alert open; the poller asks again.
    """
    payment_pk = _payment_pk(notice.payment_id)
    try:
        payment = payment_sync(payment_id=payment_pk)
    except ProviderError:
        logger.warning("Gateway unreachable confirming payment %s; the poller asks again", payment_pk, exc_info=True)
        return False
    return payment.status != PaymentStatus.FAILED


@transaction.atomic
def _apply(notice: Notice) -> str:
    payment_pk = _payment_pk(notice.payment_id)
    payment = payment_lock(payment_id=payment_pk)
    expected_ref = payment.refund_ref if notice.event in REFUND_EVENTS else payment.provider_ref
    if notice.provider_ref != expected_ref:
        if PaymentEvent.objects.filter(event_key=notice.key).exists():
            return DUPLICATE  # an older refund attempt's notice, already recorded
        raise ServiceError(_(ERR_REF), field="provider_ref")
    if notice.amount != payment.amount:
        raise AmountMismatch(_(ERR_AMOUNT), field="amount", code="amount_mismatch")
    if PaymentEvent.objects.filter(event_key=notice.key).exists():
        return DUPLICATE
    data = {"occurred_at": notice.occurred_at, "amount": notice.amount}
    if payment.status == PaymentStatus.FAILED and NOTICE_TARGET[notice.event] == PaymentStatus.SUCCEEDED:
        return _success_after_failure(payment, notice=notice, data=data)
    try:
        with transaction.atomic():
            moved = payment_move(
                payment, to=NOTICE_TARGET[notice.event], source="notice", event_key=notice.key, data=data
            )
    except IntegrityError:
        return DUPLICATE  # the unique key caught a copy the lock did not (no lock on some databases)
    return APPLIED if moved else IGNORED


def _success_after_failure(payment: Payment, *, notice: Notice, data: dict) -> str:
    """The gateway says it took money it had said it did not: record the notice, alert staff, and let the
    gateway's own answer to a query decide (a notice alone does not undo a failure it reported)."""
    PaymentEvent.objects.create(
        payment=payment,
        event_key=notice.key,
        source="notice",
        from_status=payment.status,
        to_status=payment.status,
        applied=False,
        data={**data, "awaiting": "gateway_confirmation"},
    )
    alert_raise(
        kind=AlertKind.SUCCESS_AFTER_FAILURE,
        payment=payment,
        detail=_(
            "Cổng thanh toán báo giao dịch {ref} của hồ sơ {code} thành công sau khi đã báo thất bại; "
            "cổng đang được hỏi lại để xác nhận."
        ).format(ref=payment.provider_ref, code=payment.dossier.code),
        data={"notice": notice.__dict__},
    )
    return TO_CONFIRM


def payments_awaiting_confirmation() -> list[int]:
    """Failed payments the gateway has since reported as paid: the poller asks the gateway about them."""
    return list(
        Payment.objects.filter(
            status=PaymentStatus.FAILED,
            alerts__kind=AlertKind.SUCCESS_AFTER_FAILURE,
            alerts__resolved_at__isnull=True,
        )
        .order_by("id")
        .values_list("pk", flat=True)
        .distinct()
    )


def _payment_pk(public_id: str) -> int:
    try:
        pk = Payment.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
    except (ValidationError, ValueError, TypeError):  # not a UUID at all
        pk = None
    if pk is None:
        raise ServiceError(_(ERR_UNKNOWN_PAYMENT), field="payment_id")
    return pk
