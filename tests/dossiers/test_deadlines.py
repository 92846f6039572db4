"""Appointment dates set at receipt, table-driven across the calendar's hard cases."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=HCM)


CASES = [
    ("weekday", at(2026, 11, 16, 9, 0), 3, at(2026, 11, 19, 9, 0)),
    ("over a weekend and Vietnam Culture Day 24/11", at(2026, 11, 20, 10, 0), 2, at(2026, 11, 25, 10, 0)),
    ("after hours on Friday counts from Monday's opening", at(2026, 11, 20, 18, 30), 1, at(2026, 11, 25, 7, 30)),
    ("before opening counts from that day's opening", at(2026, 11, 16, 6, 0), 1, at(2026, 11, 17, 7, 30)),
    ("on a Sunday", at(2026, 11, 15, 11, 0), 1, at(2026, 11, 17, 7, 30)),
    ("across Tết 2026 (16–20 Feb)", at(2026, 2, 12, 9, 0), 3, at(2026, 2, 24, 9, 0)),
    ("onto a make-up working Saturday (22/8/2026)", at(2026, 8, 21, 9, 0), 1, at(2026, 8, 22, 9, 0)),
    ("same-day procedure ends at closing time", at(2026, 11, 16, 9, 0), 0, at(2026, 11, 16, 17, 0)),
]


@pytest.mark.parametrize(("case", "received", "days", "expected"), CASES, ids=[c[0] for c in CASES])
def test_appointment_date_at_receipt(case, received, days, expected):
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], processing_days=days)
    with time_machine.travel(received, tick=False):
        dossier = make_dossier("processing", procedure=procedure)
    assert dossier.received_at == received
    assert dossier.due_at == expected, case
