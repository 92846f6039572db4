"""Rebuilds racing each other on a real PostgreSQL (the agency-row lock, delete and insert), and the
figures SQL (dates in office time, the working-day joins) as PostgreSQL runs it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from figures.models import METRICS, DailyRollup
from figures.rollups import rebuild_rollups, rollup_rows
from tests import factories
from tests.dossiers.builders import Staff, make_dossier

pytestmark = [pytest.mark.services(needs=("postgres",)), pytest.mark.django_db(transaction=True)]


def run_at_once(functions):
    barrier = threading.Barrier(len(functions))

    def call(function):
        try:
            barrier.wait()
            return function()
        except Exception as exc:  # collected and asserted by the caller
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(functions)) as pool:
        return list(pool.map(call, functions))


def snapshot():
    return sorted(
        (row["day"], row["agency_id"], row["procedure_id"], row["channel"], *(row[name] for name in METRICS))
        for row in DailyRollup.objects.values()
    )


def test_concurrent_rebuilds_of_overlapping_agencies_leave_the_rows_one_rebuild_writes():
    assert connection.vendor == "postgresql"
    first, second = factories.AgencyFactory(), factories.AgencyFactory()
    for agency in (first, second):
        staff = Staff(agency)
        procedure = factories.ProcedureFactory(agencies=[agency])
        for status in ("completed", "processing", "rejected"):
            make_dossier(status, procedure=procedure, staff=staff)
    today = timezone.localdate()
    rebuild_rollups(date_from=today, date_to=today)
    expected = snapshot()
    assert len(expected) == 2  # one procedure, one channel (online) per agency

    every = [lambda: rebuild_rollups(date_from=today, date_to=today)] * 4
    each = [lambda a=a: rebuild_rollups(date_from=today, date_to=today, agency_ids=[a.pk]) for a in (first, second)] * 3
    results = run_at_once(every + each)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert snapshot() == expected


def test_live_rows_compute_the_same_on_postgresql():
    dossier = make_dossier("completed")
    today = timezone.localdate()
    (figures,) = rollup_rows(date_from=today, date_to=today, agency_ids=[dossier.agency_id]).values()
    assert figures["received"] == 1 and figures["completed_early"] + figures["completed_due_day"] == 1
    assert figures["allowed_working_days"] == dossier.procedure.processing_days
