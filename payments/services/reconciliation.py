"""Reconciliation: the gateway's settlement for a day against the portal's own payments.

Both sides are keyed by the gateway reference. Every difference is listed: a row on one side
only, an amount that differs, a status that differs. A portal refund still in progress counts
as the settled payment it was, since the gateway settles the refund on its own day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from payments.constants import MismatchKind, PaymentStatus
from payments.models import Payment
from payments.providers.base import get_provider

S = PaymentStatus
SETTLED_AS = {S.REFUND_PENDING: S.SUCCEEDED, S.REFUND_FAILED: S.SUCCEEDED}


@dataclass(frozen=True)
class Mismatch:
    kind: str
    provider_ref: str
    payment_id: str = ""
    portal_amount: int | None = None
    gateway_amount: int | None = None
    portal_status: str = ""
    gateway_status: str = ""

    @property
    def label(self) -> str:
        return MismatchKind(self.kind).label


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def portal_payments_on(*, day: date, provider: str) -> dict[str, Payment]:
    start, end = _day_bounds(day)
    queryset = Payment.objects.filter(provider=provider, created_at__gte=start, created_at__lt=end).exclude(
        provider_ref=""
    )
    return {payment.provider_ref: payment for payment in queryset}


def reconcile(*, day: date) -> list[Mismatch]:
    provider = get_provider()
    gateway = {row.provider_ref: row for row in provider.settlement(day=day)}
    portal = portal_payments_on(day=day, provider=provider.name)
    mismatches = []
    for ref in sorted(gateway.keys() | portal.keys()):
        row, payment = gateway.get(ref), portal.get(ref)
        if payment is None:
            mismatches.append(
                Mismatch(
                    MismatchKind.MISSING_IN_PORTAL,
                    ref,
                    row.payment_id,
                    gateway_amount=row.amount,
                    gateway_status=row.status,
                )
            )
            continue
        portal_status = SETTLED_AS.get(payment.status, payment.status)
        common = {
            "provider_ref": ref,
            "payment_id": str(payment.public_id),
            "portal_amount": payment.amount,
            "portal_status": payment.status,
        }
        if row is None:
            mismatches.append(Mismatch(MismatchKind.MISSING_IN_SETTLEMENT, **common))
            continue
        common |= {"gateway_amount": row.amount, "gateway_status": row.status}
        if row.amount != payment.amount:
            mismatches.append(Mismatch(MismatchKind.AMOUNT_DIFFERS, **common))
        if row.status != portal_status:
            mismatches.append(Mismatch(MismatchKind.STATUS_DIFFERS, **common))
    return mismatches
