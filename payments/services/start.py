"""Starting a payment for a dossier: one open session per dossier, whatever the citizen presses."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.charges import dossier_fee_breakdown
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.providers.base import CreatedPayment, ProviderError, get_provider
from payments.services.core import payment_expiry_for
from portal.errors import ConflictError, NotFoundError, ServiceError

ERR_DOSSIER_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")
ERR_NOT_AWAITING = gettext_noop("Hồ sơ không ở trạng thái chờ thanh toán.")
ERR_NOTHING_OWED = gettext_noop("Hồ sơ không còn khoản phí nào phải nộp.")
ERR_KEY_REUSED = gettext_noop("Khóa Idempotency-Key này đã dùng cho một hồ sơ khác.")
ERR_GATEWAY = gettext_noop("Cổng thanh toán tạm thời không phản hồi, vui lòng thử lại sau ít phút.")


class GatewayUnavailable(ServiceError):
    status_code = 503
    default_code = "gateway_unavailable"


def _breakdown_for(dossier: Dossier, owed: int) -> dict:
    breakdown = dossier_fee_breakdown(dossier).as_dict()
    breakdown["already_paid"] = dossier.amount_paid
    breakdown["owed"] = owed
    return breakdown


def payment_start(*, dossier_id: int, user, idempotency_key: str = "") -> Payment:
    """The dossier's open payment, or a new one at the gateway.

    Three steps, so no row stays locked while the gateway answers: the payment row is written and
    committed first (pending, no gateway reference yet), the gateway is asked outside any
    transaction, and its answer is recorded under the row lock. The dossier row lock serialises two
    presses of the pay button; the second finds the first one's payment. An Idempotency-Key replays
    the payment it first made, even once that payment has ended. A payment whose gateway answer
    never arrived (the gateway was down, the process died) is asked for again by the next press;
    the gateway keys sessions by the payment's id, and the expiry sweep ends it if nobody presses.
    """
    payment = _payment_open(dossier_id=dossier_id, user=user, idempotency_key=idempotency_key)
    if payment.provider_ref or payment.status != PaymentStatus.PENDING:
        return payment
    try:
        created = get_provider().create_payment(
            payment_id=str(payment.public_id),
            amount=payment.amount,
            description=f"{payment.dossier.code} {payment.dossier.procedure.name}"[:255],
            return_url=reverse("payments:result", args=[payment.public_id]),
            expires_at=payment.expires_at,
        )
    except ProviderError as exc:
        raise GatewayUnavailable(_(ERR_GATEWAY)) from exc
    return _session_record(payment_id=payment.pk, created=created)


@transaction.atomic
def _payment_open(*, dossier_id: int, user, idempotency_key: str) -> Payment:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure")
        .filter(pk=dossier_id, applicant=user)
        .first()
    )
    if dossier is None:
        raise NotFoundError(_(ERR_DOSSIER_NOT_FOUND))
    if idempotency_key:
        earlier = Payment.objects.filter(payer=user, idempotency_key=idempotency_key).select_related("dossier").first()
        if earlier is not None:
            if earlier.dossier_id != dossier.pk:
                raise ServiceError(_(ERR_KEY_REUSED), field="idempotency_key")
            earlier.dossier = dossier
            return earlier
    if dossier.status != DossierStatus.AWAITING_PAYMENT:
        raise ConflictError(_(ERR_NOT_AWAITING), code="wrong_status")
    open_payment = Payment.objects.filter(dossier=dossier, status=PaymentStatus.PENDING).first()
    if open_payment is not None:
        open_payment.dossier = dossier
        return open_payment
    owed = dossier.amount_due - dossier.amount_paid
    if owed <= 0:
        raise ConflictError(_(ERR_NOTHING_OWED), code="nothing_owed")
    return Payment.objects.create(
        dossier=dossier,
        payer=user,
        amount=owed,
        breakdown=_breakdown_for(dossier, owed),
        provider=get_provider().name,
        idempotency_key=idempotency_key,
        expires_at=payment_expiry_for(dossier),
    )


@transaction.atomic
def _session_record(*, payment_id: int, created: CreatedPayment) -> Payment:
    """Record the gateway's session once; a concurrent press that recorded one first wins."""
    payment = Payment.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=payment_id)
    if not payment.provider_ref:
        # Recorded even if the payment ended meanwhile: a late notice for this session must still match it.
        payment.provider_ref, payment.pay_url = created.provider_ref, created.pay_url
        payment.save(update_fields=["provider_ref", "pay_url", "updated_at"])
    return payment
