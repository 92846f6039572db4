"""The fee a dossier owes: the procedure's fee (phí) and charge (lệ phí) less the best discount that applies,
plus the postage when the result goes by post (a fee policy too: the rate depends on the postal zone).

Read when a dossier is submitted (dossiers) and when it is paid online (payments), so it lives in
the catalog, below both.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

import portal.clock as clock
from portal.text import fold
from procedures.addresses import province_code_of
from procedures.constants import DeliveryMethod, IntakeChannel, PostalZone
from procedures.models import Agency, DiscountPolicy, Procedure

# Public postal service (BCCI) rates for returning one result, whole VND, by zone from the agency.
POSTAGE_BY_ZONE = {PostalZone.SAME_PROVINCE: 25_000, PostalZone.OTHER_PROVINCE: 38_000}
# What comes before a province's own name (folded): "UBND tỉnh Hải Dương", "TP. Hà Nội".
PROVINCE_MARKERS = (" tinh ", " thanh pho ", " tp. ", " tp ")


@dataclass(frozen=True)
class FeeBreakdown:
    fee: int
    charge: int
    subtotal: int
    discount_name: str
    discount_percent: int
    discount_amount: int
    total: int
    postage: int = 0  # never discounted: it is the post office's price

    def as_dict(self) -> dict:
        data = asdict(self)
        if not self.postage:  # the line exists only for a result sent by post
            del data["postage"]
        return data


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


def fee_breakdown(*, procedure: Procedure, channel: str, day: date | None = None, postage: int = 0) -> FeeBreakdown:
    """Fee (phí) and charge (lệ phí) less the single best discount on that day (discounts never stack),
    plus the postage of a result sent by post (see postage_for)."""
    day = day or clock.localdate()
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
        total=subtotal - discount + postage,
        postage=postage,
    )


def province_of(agency: Agency) -> Agency:
    """The top of the agency's tree: the province (or centrally run city) it belongs to."""
    while agency.parent_id is not None:
        agency = agency.parent
    return agency


def postal_zone(*, agency: Agency, province: str, province_code: int | None = None) -> str:
    """Same province when the address's province is the agency's: by code when the address carries one
    and the agency's province is one of today's, else by name (“Hải Dương” in “UBND tỉnh Hải Dương”)."""
    agency_code = province_code_of(province_of(agency).name) if province_code else None
    if agency_code is not None:
        return PostalZone.SAME_PROVINCE if agency_code == province_code else PostalZone.OTHER_PROVINCE
    wanted = _bare_province_name(province)
    if wanted and wanted == _bare_province_name(province_of(agency).name):
        return PostalZone.SAME_PROVINCE
    return PostalZone.OTHER_PROVINCE


def _bare_province_name(text: str) -> str:
    """ "UBND tỉnh Hải Dương", "Tỉnh Hải Dương" and "Hải Dương" all give "hai duong"."""
    padded = f" {fold(text or '')}"
    for marker in PROVINCE_MARKERS:
        if marker in padded:
            padded = padded.rsplit(marker, 1)[1]
            break
    return padded.strip()


def postage_for(*, agency: Agency, delivery_method: str, province: str, province_code: int | None = None) -> int:
    """What sending the result costs: nothing unless it goes by post."""
    if delivery_method != DeliveryMethod.POSTAL:
        return 0
    return POSTAGE_BY_ZONE[postal_zone(agency=agency, province=province, province_code=province_code)]
