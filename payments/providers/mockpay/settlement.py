"""The simulator's daily settlement file: one CSV per day of the sessions opened that day.

Written once per day (by the daily task, or on first request) and then only read, so a file
someone edited stays as it is: reconciliation must see what the gateway reported.
"""

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

import portal.clock as clock
from payments.providers.base import SettlementRow
from payments.providers.mockpay.models import GatewayTransaction

COLUMNS = ("provider_ref", "payment_id", "amount", "status", "completed_at")


def settlement_yesterday() -> date:
    """The day the daily job writes: yesterday in the portal's time zone, complete by now."""
    return clock.localdate() - timedelta(days=1)


def settlement_path(day: date) -> Path:
    folder = settings.PAYMENT_SETTLEMENT_DIR or Path(settings.MEDIA_ROOT) / "settlements"
    return Path(folder) / f"mockpay-{day:%Y-%m-%d}.csv"


def settlement_write(*, day: date, overwrite: bool = False) -> Path:
    path = settlement_path(day)
    if path.exists() and not overwrite:
        return path
    start = timezone.make_aware(datetime.combine(day, time.min))
    rows = GatewayTransaction.objects.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for tx in rows.order_by("created_at", "id"):
            completed = tx.refunded_at or tx.completed_at
            writer.writerow(
                [
                    tx.ref,
                    tx.merchant_payment_id,
                    tx.amount,
                    tx.effective_status(),
                    completed.isoformat() if completed else "",
                ]
            )
    partial.replace(path)
    return path


def settlement_read(*, day: date) -> list[SettlementRow]:
    path = settlement_write(day=day)
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            SettlementRow(
                provider_ref=row["provider_ref"],
                payment_id=row["payment_id"],
                amount=int(row["amount"]),
                status=row["status"],
            )
            for row in csv.DictReader(handle)
        ]
