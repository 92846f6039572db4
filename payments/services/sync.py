"""Pulling a payment's state from the gateway: the result page, the poller and the expiry sweep use it.

A lost notice therefore never leaves a payment stuck: whatever the gateway knows, a query learns.
"""

from django.db import transaction

from payments.constants import PaymentStatus
from payments.models import Payment
from payments.providers.base import PaymentState, get_provider
from payments.services.core import payment_lock, payment_move

S = PaymentStatus
REFUND_OUTCOMES = {"succeeded": S.REFUNDED, "failed": S.REFUND_FAILED}


def payment_sync(*, payment_id: int) -> Payment:
    """Ask the gateway outside any transaction, then apply its answer to the payment as it is by then."""
    provider_ref = Payment.objects.values_list("provider_ref", flat=True).get(pk=payment_id)
    if not provider_ref:
        return Payment.objects.get(pk=payment_id)
    state = get_provider().query_status(provider_ref=provider_ref)
    return _state_apply(payment_id=payment_id, state=state)


@transaction.atomic
def _state_apply(*, payment_id: int, state: PaymentState) -> Payment:
    payment = payment_lock(payment_id=payment_id)
    data = {"gateway_status": state.status, "refund_status": state.refund_status}
    if state.method and state.method != payment.method:
        payment.method = state.method
        payment.save(update_fields=["method", "updated_at"])
    # What the gateway answers wins over what the portal assumed (expired, cancelled) or was told
    # before (a failure it has since reported as a success).
    if payment.status in (S.PENDING, S.EXPIRED, S.CANCELLED, S.FAILED) and state.status != S.PENDING:
        target = S.SUCCEEDED if state.status == S.REFUNDED else state.status
        if target != payment.status:
            payment_move(payment, to=target, source="query", data=data)
    if payment.status == S.REFUND_PENDING and payment.refund_ref and state.refund_status in REFUND_OUTCOMES:
        payment_move(payment, to=REFUND_OUTCOMES[state.refund_status], source="query", data=data)
    return payment
