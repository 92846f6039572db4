"""Reads: the fee breakdown with the discount that applies, a user's payments, what staff must look at."""

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.constants import IntakeChannel
from payments.constants import PaymentStatus
from payments.models import DiscountPolicy, Payment, PaymentAlert
from portal.errors import NotFoundError
from procedures.models import Procedure

ERR_PAYMENT_NOT_FOUND = gettext_noop("Không tìm thấy giao dịch thanh toán.")


@dataclass(frozen=True)
class FeeBreakdown:
    fee: int
    charge: int
    subtotal: int
    discount_name: str
    discount_percent: int
    discount_amount: int
    total: int

    def as_dict(self) -> dict:
        return asdict(self)


def discount_policies_on(*, procedure: Procedure, channel: str, day: date) -> QuerySet[DiscountPolicy]:
    queryset = DiscountPolicy.objects.filter(
        Q(procedure=procedure) | Q(procedure__isnull=True),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        is_active=True,
        valid_from__lte=day,
    )
    if channel != IntakeChannel.ONLINE:
        queryset = queryset.filter(online_only=False)
    return queryset


def fee_breakdown(*, procedure: Procedure, channel: str, day: date | None = None) -> FeeBreakdown:
    """Fee (phí) and charge (lệ phí) less the single best discount on that day; discounts never stack."""
    day = day or timezone.localdate()
    candidates = []
    if channel == IntakeChannel.ONLINE and procedure.online_discount_percent:
        candidates.append((procedure.online_discount_percent, _("Giảm khi nộp trực tuyến")))
    policy = discount_policies_on(procedure=procedure, channel=channel, day=day).order_by("-percent", "id").first()
    if policy is not None:
        candidates.append((policy.percent, policy.name))
    subtotal = procedure.fee + procedure.charge
    percent, name = max(candidates, key=lambda c: c[0], default=(0, ""))
    discount = subtotal * percent // 100
    return FeeBreakdown(
        fee=procedure.fee,
        charge=procedure.charge,
        subtotal=subtotal,
        discount_name=str(name),
        discount_percent=percent,
        discount_amount=discount,
        total=subtotal - discount,
    )


def _related(queryset: QuerySet[Payment]) -> QuerySet[Payment]:
    return queryset.select_related("dossier", "dossier__procedure", "dossier__agency", "payer")


def payment_for_user(*, public_id, user) -> Payment:
    """The payer's own payment, or one of their dossier's; otherwise 404 (existence is not revealed)."""
    payment = _related(Payment.objects.filter(public_id=public_id, dossier__applicant=user)).first()
    if payment is None:
        raise NotFoundError(_(ERR_PAYMENT_NOT_FOUND))
    return payment


def payments_of_dossier(*, dossier_id: int, user) -> QuerySet[Payment]:
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
