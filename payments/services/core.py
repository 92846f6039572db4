"""The payment state machine and what each move does to the dossier.

Every status change goes through `payment_move`, which checks PAYMENT_TRANSITIONS and writes a
PaymentEvent. Callers lock the dossier row first and then the payment row (`payment_lock`), the
same order the dossier workflow uses, so a callback and an official's rejection never deadlock.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.services.review import dossier_act_as_system
from payments.constants import PAYMENT_TRANSITIONS, AlertKind, PaymentStatus
from payments.models import Payment, PaymentAlert, PaymentEvent, ReceiptCounter
from portal.accounts.notices import Notice, person_notify
from portal.background import enqueue_on_commit
from portal.formatting import vnd

logger = logging.getLogger(__name__)
S = PaymentStatus
REQUEST_REFUND_TASK = "payments.tasks.request_refund"


def payment_lock(*, payment_id: int) -> Payment:
    """Lock the payment's dossier, then the payment itself; must run inside a transaction."""
    dossier_id = Payment.objects.values_list("dossier_id", flat=True).get(pk=payment_id)
    Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier_id).first()
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("dossier", "dossier__procedure")
        .get(pk=payment_id)
    )


def payment_expiry_for(dossier: Dossier):
    """Payment sessions end when the dossier's payment time does."""
    start = dossier.submitted_at or clock.now()
    return start + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES)


def receipt_number_take(*, year: int) -> str:
    """The next receipt number of the year, gapless: the counter row stays locked until commit."""
    ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year)], ignore_conflicts=True)
    ReceiptCounter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    value = ReceiptCounter.objects.values_list("last_value", flat=True).get(year=year)
    return f"BL{year}-{value:07d}"


def alert_raise(*, kind: str, detail: str, payment: Payment | None = None, data: dict | None = None) -> PaymentAlert:
    logger.error("Payment alert %s: %s %s", kind, detail, data or {})
    return PaymentAlert.objects.create(kind=kind, payment=payment, detail=detail, data=data or {})


def payment_move(
    payment: Payment, *, to: str, source: str, event_key: str | None = None, data: dict | None = None
) -> bool:
    """Move a locked payment if the state machine allows it; record the attempt either way.

    Returns False (and changes nothing) for a move the table refuses: a failure notice after a
    success, a success reported twice by different paths.
    """
    from_status = payment.status
    allowed = to in PAYMENT_TRANSITIONS[from_status]
    if allowed or event_key:
        PaymentEvent.objects.create(
            payment=payment,
            event_key=event_key,
            source=source,
            from_status=from_status,
            to_status=to if allowed else from_status,
            applied=allowed,
            data=data or {},
        )
    if not allowed:
        return False
    payment.status = to
    fields = ["status", "updated_at"]
    fields += EFFECTS.get(to, lambda p: [])(payment)
    payment.save(update_fields=fields)
    AFTER.get(to, lambda p: None)(payment)
    return True


def _on_succeeded(payment: Payment) -> list[str]:
    now = clock.now()
    payment.paid_at = now
    payment.receipt_number = receipt_number_take(year=timezone.localtime(now).year)
    return ["paid_at", "receipt_number"]


def _after_succeeded(payment: Payment) -> None:
    dossier = payment.dossier
    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        payment.dossier = dossier_act_as_system(
            dossier_id=dossier.pk, action="confirm_payment", amount=payment.amount, note=payment.receipt_number
        )
        return
    # The gateway took money for a dossier that no longer waits for it (withdrawn, expired): give it back.
    alert_raise(
        kind=AlertKind.LATE_SUCCESS,
        payment=payment,
        detail=_("Thanh toán thành công khi hồ sơ đang ở trạng thái “{status}”; đã yêu cầu hoàn tiền.").format(
            status=dossier.get_status_display()
        ),
    )
    refund_begin(payment)


def _on_refund_pending(payment: Payment) -> list[str]:
    payment.refund_requested_at = clock.now()
    payment.refund_ref = ""
    return ["refund_requested_at", "refund_ref"]


def _after_refund_pending(payment: Payment) -> None:
    enqueue_on_commit(REQUEST_REFUND_TASK, payment.pk, description=f"the refund of payment {payment.pk}")


def _on_refunded(payment: Payment) -> list[str]:
    payment.refunded_at = clock.now()
    payment.last_error = ""
    return ["refunded_at", "last_error"]


def _after_refunded(payment: Payment) -> None:
    """The money the applicant waits for is back: an urgent notice, in their language."""

    def compose() -> Notice:
        body = _("Hồ sơ {code}: đã hoàn lại {amount} đồng (biên lai {receipt}).").format(
            code=payment.dossier.code, amount=vnd(payment.amount), receipt=payment.receipt_number
        )
        return Notice(subject=_("Hoàn tiền"), body=body)

    person_notify(user=payment.dossier.applicant, compose=compose, urgent=True)


def _after_refund_failed(payment: Payment) -> None:
    alert_raise(
        kind=AlertKind.REFUND_FAILED,
        payment=payment,
        detail=_("Hoàn tiền cho biên lai {receipt} không thành công (lần {attempt}).").format(
            receipt=payment.receipt_number, attempt=payment.refund_attempts
        ),
    )


EFFECTS = {S.SUCCEEDED: _on_succeeded, S.REFUND_PENDING: _on_refund_pending, S.REFUNDED: _on_refunded}
AFTER = {
    S.SUCCEEDED: _after_succeeded,
    S.REFUND_PENDING: _after_refund_pending,
    S.REFUNDED: _after_refunded,
    S.REFUND_FAILED: _after_refund_failed,
}


def refund_begin(payment: Payment) -> bool:
    return payment_move(payment, to=S.REFUND_PENDING, source="portal")
