"""Reads: a user's payments, what staff must look at. (The fee and its discounts: procedures.fees.)"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.models import Dossier
from payments.constants import PaymentStatus
from payments.models import Payment, PaymentAlert
from portal.errors import NotFoundError

ERR_PAYMENT_NOT_FOUND = gettext_noop("Không tìm thấy giao dịch thanh toán.")
ERR_DOSSIER_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")


def _related(queryset: QuerySet[Payment]) -> QuerySet[Payment]:
    return queryset.select_related("dossier", "dossier__procedure", "dossier__agency", "payer")


def payment_for_user(*, public_id, user) -> Payment:
    """The payer's own payment, or one of their dossier's; otherwise 404 (existence is not revealed)."""
    payment = _related(Payment.objects.filter(public_id=public_id, dossier__applicant=user)).first()
    if payment is None:
        raise NotFoundError(_(ERR_PAYMENT_NOT_FOUND))
    return payment


def payments_of_dossier(*, dossier_id: int, user) -> QuerySet[Payment]:
    """The payments of the caller's own dossier; 404 for a dossier that is missing or someone else's."""
    if not Dossier.objects.filter(pk=dossier_id, applicant=user).exists():
        raise NotFoundError(_(ERR_DOSSIER_NOT_FOUND))
    return _related(Payment.objects.filter(dossier_id=dossier_id, dossier__applicant=user)).order_by(
        "-created_at", "-id"
    )


def payment_by_receipt_number(*, receipt_number: str) -> Payment | None:
    return _related(Payment.objects.filter(receipt_number=receipt_number)).first()


def payments_needing_attention() -> QuerySet[Payment]:
    """Refunds that failed or are still waiting: staff follow them to the end."""
    return _related(
        Payment.objects.filter(status__in=[PaymentStatus.REFUND_FAILED, PaymentStatus.REFUND_PENDING])
    ).order_by("refund_requested_at", "id")


def open_alerts() -> QuerySet[PaymentAlert]:
    return PaymentAlert.objects.filter(resolved_at__isnull=True).select_related("payment").order_by("-created_at")
