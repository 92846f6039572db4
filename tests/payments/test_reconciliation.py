import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from payments.constants import MismatchKind, PaymentStatus
from payments.models import Payment
from payments.providers.mockpay.settlement import settlement_write
from payments.services import reconcile

pytestmark = pytest.mark.django_db


def rewrite(path, change):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows = change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["provider_ref", "payment_id", "amount", "status", "completed_at"])
        writer.writeheader()
        writer.writerows(rows)


def test_a_clean_day_has_no_mismatch(day_of_payments):
    assert reconcile(day=timezone.localdate()) == []


def test_planted_mismatches_are_reported_exactly(day_of_payments):
    today = timezone.localdate()
    path = settlement_write(day=today)
    paid1, paid2, paid3, _failed, _open = day_of_payments

    def plant(rows):
        rows = [row for row in rows if row["provider_ref"] != paid1.provider_ref]  # gateway lost one
        for row in rows:
            if row["provider_ref"] == paid2.provider_ref:
                row["amount"] = str(paid2.amount + 5000)
        rows.append(
            {
                "provider_ref": "MPFOREIGN",
                "payment_id": "x",
                "amount": "1000",
                "status": "succeeded",
                "completed_at": "",
            }
        )
        return rows

    rewrite(path, plant)
    Payment.objects.filter(pk=paid3.pk).update(status=PaymentStatus.FAILED)  # the portal got it wrong
    found = {(m.kind, m.provider_ref) for m in reconcile(day=today)}
    assert found == {
        (MismatchKind.MISSING_IN_SETTLEMENT, paid1.provider_ref),
        (MismatchKind.AMOUNT_DIFFERS, paid2.provider_ref),
        (MismatchKind.STATUS_DIFFERS, paid3.provider_ref),
        (MismatchKind.MISSING_IN_PORTAL, "MPFOREIGN"),
    }

    out = StringIO()
    call_command("reconcile", "--date", today.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == f"{today:%Y-%m-%d}: 4 chênh lệch"
    assert sorted(line.split("\t")[0] for line in lines[:-1]) == sorted(
        ["missing_in_settlement", "amount_differs", "status_differs", "missing_in_portal"]
    )


def test_a_refund_in_progress_still_matches_the_settled_payment(day_of_payments):
    paid = day_of_payments[0]
    Payment.objects.filter(pk=paid.pk).update(status=PaymentStatus.REFUND_PENDING)
    assert reconcile(day=timezone.localdate()) == []


def test_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reconcile", "--date", "24/11/2026")
