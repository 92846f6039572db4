"""The fee a dossier owes: the procedure's fee (phí) and charge (lệ phí) less the best discount that applies.

Read when a dossier is submitted (dossiers) and when it is paid online (payments), so it lives in
the catalog, below both.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.constants import IntakeChannel
from procedures.models import DiscountPolicy, Procedure


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
