"""Refunds: started when a paid dossier is rejected, refused or withdrawn; followed to the end.

refund_pending → (the gateway is asked) → refunded, or refund_failed → asked again by the
periodic retry until it succeeds or the attempts run out, when it stays visible to staff.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

import portal.clock as clock
from dossiers.models import Dossier
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.providers.base import ProviderError, get_provider
from payments.services.core import REQUEST_REFUND_TASK, payment_lock, payment_move, refund_begin
from portal.background import enqueue

logger = logging.getLogger(__name__)
S = PaymentStatus
# An attempt asked longer ago than this with no answer recorded was lost (the process died mid-call).
REFUND_ASK_TIMEOUT = timedelta(minutes=10)


def refunds_start_for_dossier(*, dossier: Dossier, event=None) -> int:
    """Called inside the dossier workflow's transaction (dossier locked) when it closes unfinished
    (registered in PaymentsConfig.ready as a dossier status receiver).

    Paid payments start a refund; open sessions are cancelled so the citizen is not asked to pay
    for a closed dossier (a success the gateway still reports later is refunded in turn).
    """
    started = 0
    payments = Payment.objects.select_for_update(of=("self",)).select_related("dossier").filter(dossier=dossier)
    for payment in payments.filter(status__in=[S.SUCCEEDED, S.PENDING]).order_by("id"):
        payment.dossier = dossier
        if payment.status == S.PENDING:
            payment_move(payment, to=S.CANCELLED, source="portal", data={"reason": "dossier_closed"})
        elif refund_begin(payment):
            started += 1
    return started


def refund_request(*, payment_id: int) -> Payment:
    """Ask the gateway for the money back, once per attempt; safe to run twice.

    The attempt is committed as asked (`refund_asked_at`) before the gateway is called outside any
    transaction, and its answer is recorded afterwards; a second run meanwhile leaves it alone. An
    attempt whose answer never came back (the process died) is asked again once REFUND_ASK_TIMEOUT
    has passed, by the retry sweep (`refunds_stuck`).
    """
    payment = _refund_attempt_begin(payment_id=payment_id)
    if payment is None:
        return Payment.objects.get(pk=payment_id)
    try:
        refund_ref = get_provider().refund(provider_ref=payment.provider_ref, amount=payment.amount)
    except ProviderError as exc:
        _refund_attempt_end(payment_id=payment_id, error=str(exc))
        raise  # recorded; the task retries with backoff
    return _refund_attempt_end(payment_id=payment_id, refund_ref=refund_ref)


@transaction.atomic
def _refund_attempt_begin(*, payment_id: int) -> Payment | None:
    """Lock, check that an attempt is due, and mark it asked; None when there is nothing to ask."""
    payment = payment_lock(payment_id=payment_id)
    if payment.status != S.REFUND_PENDING or payment.refund_ref:
        return None
    if payment.refund_asked_at and payment.refund_asked_at > clock.now() - REFUND_ASK_TIMEOUT:
        return None  # another run is asking the gateway right now
    payment.refund_attempts += 1
    payment.refund_asked_at = clock.now()
    payment.save(update_fields=["refund_attempts", "refund_asked_at", "updated_at"])
    return payment


@transaction.atomic
def _refund_attempt_end(*, payment_id: int, refund_ref: str = "", error: str = "") -> Payment:
    payment = payment_lock(payment_id=payment_id)
    payment.refund_asked_at = None
    fields = ["refund_asked_at", "updated_at"]
    if error:
        payment.last_error = error[:500]
        fields.append("last_error")
    elif payment.status == S.REFUND_PENDING and not payment.refund_ref:
        payment.refund_ref = refund_ref
        fields.append("refund_ref")
    payment.save(update_fields=fields)
    return payment


@transaction.atomic
def refunds_retry_failed(*, limit: int = 200) -> int:
    """Move failed refunds back to pending (which asks the gateway again) while attempts remain."""
    queryset = (
        Payment.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("dossier")
        .filter(status=S.REFUND_FAILED, refund_attempts__lt=settings.PAYMENT_REFUND_MAX_ATTEMPTS)
        .order_by("refund_requested_at", "id")[:limit]
    )
    return sum(refund_begin(payment) for payment in queryset)


def refunds_stuck(*, older_than_minutes: int = 10) -> list[int]:
    """Pending refunds nobody asked the gateway for (a broker outage), or whose asking was cut off
    mid-call (a crash before the answer was recorded): their ids, to enqueue again."""
    cutoff = clock.now() - timedelta(minutes=older_than_minutes)
    never_answered = Q(refund_asked_at__isnull=True) | Q(refund_asked_at__lte=clock.now() - REFUND_ASK_TIMEOUT)
    return list(
        Payment.objects.filter(
            never_answered, status=S.REFUND_PENDING, refund_ref="", refund_requested_at__lte=cutoff
        ).values_list("pk", flat=True)
    )


def refunds_sweep() -> int:
    """The periodic refund job: pending refunds nobody asked the gateway for are queued again, and
    failed ones go back to the gateway while attempts remain. The number moved back is returned."""
    for payment_id in refunds_stuck():
        enqueue(REQUEST_REFUND_TASK, payment_id, description=f"the refund of payment {payment_id}")
    return refunds_retry_failed()
