"""Daily rollups: the rows the March week gives, rebuilds that replace rather than add, the working-day table."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from figures.models import METRICS, DailyRollup, WorkingDayOrdinal
from figures.rollups import rebuild_rollups, rollup_rows, rollups_recompute_for_dossier
from figures.workdays import EPOCH, ordinals_ensure
from procedures.calendar import working_days_between
from procedures.constants import CalendarDayKind
from procedures.models import CalendarOverride
from tests.figures import world as w

pytestmark = pytest.mark.django_db


def rows_of(agency) -> dict:
    """{(day of March, procedure code, channel): {figure: value}} without the zeros."""
    rows = DailyRollup.objects.filter(agency=agency).select_related("procedure").order_by("day", "procedure", "channel")
    return {
        (row.day.day, row.procedure.code, row.channel): {
            name: getattr(row, name) for name in METRICS if getattr(row, name)
        }
        for row in rows
    }


P3, P4 = "1.000001", "1.000004"
C1_ROWS = {
    (2, P3, "counter"): {"received": 2},  # B H
    (2, P3, "online"): {"received": 2, "received_digitised": 2, "supplement_requests": 1, "rejected": 1},  # A D; E
    (2, P3, "postal"): {"received": 1},  # C
    (2, P4, "online"): {
        "received": 2,
        "received_with_fee": 2,
        "received_digitised": 2,
        "payments_online": 2,
        "payments_online_amount": 2 * w.FEE,
    },  # F G
    (3, P3, "online"): {
        "completed_early": 1,
        "completed_with_e_result": 1,
        "processing_working_days": 1,
        "allowed_working_days": 3,
        "ratings": 1,
        "rating_score_sum": 5,
    },  # A
    (3, P4, "online"): {"refused": 1, "refunds": 1, "refunds_amount": w.FEE},  # F
    (4, P3, "online"): {"received": 1, "received_digitised": 1, "supplement_requests": 1},  # K; D's second request
    (4, P4, "online"): {
        "completed_early": 1,
        "completed_with_e_result": 1,
        "processing_working_days": 2,
        "allowed_working_days": 3,
    },  # G
    (5, P3, "counter"): {
        "completed_due_day": 1,
        "completed_with_e_result": 1,
        "processing_working_days": 3,
        "allowed_working_days": 3,
    },  # B
    (6, P3, "counter"): {
        "completed_late": 1,
        "completed_with_e_result": 1,
        "processing_working_days": 4,
        "allowed_working_days": 3,
    },  # H (apology slip)
    (6, P3, "online"): {
        "completed_early": 1,
        "completed_in_time_multi_supplement": 1,
        "completed_multi_supplement": 1,
        "completed_with_e_result": 1,
        "processing_working_days": 1,
        "allowed_working_days": 3,
    },  # D
    (6, P3, "postal"): {
        "completed_late": 1,
        "completed_with_e_result": 1,
        "processing_working_days": 4,
        "allowed_working_days": 3,
        "ratings": 1,
        "rating_score_sum": 1,
        "ratings_dissatisfied": 1,
    },  # C
}


def test_the_rows_of_the_week_are_the_hand_count(world):
    assert rows_of(world.c1) == C1_ROWS
    assert rows_of(world.c2) == {
        (3, P3, "online"): {
            "received": 1,
            "received_digitised": 1,
            "completed_early": 1,
            "completed_with_e_result": 1,
            "allowed_working_days": 3,
        }
    }
    assert rows_of(world.other) == {(2, P3, "counter"): {"received": 1}}


def test_a_rebuild_replaces_rows_and_a_second_one_changes_nothing(world):
    DailyRollup.objects.filter(agency=world.c1, day=date(2026, 3, 2), channel="postal").update(received=99)
    DailyRollup.objects.create(
        day=date(2026, 3, 20), agency=world.c1, procedure=world.p2, channel="counter", received=7
    )

    first = rebuild_rollups(date_from=w.MARCH[0], date_to=w.MARCH[1])
    second = rebuild_rollups(date_from=w.MARCH[0], date_to=w.MARCH[1])

    assert first == second == len(C1_ROWS) + 1 + 1  # C2's row and the other province's
    assert rows_of(world.c1) == C1_ROWS


def test_a_rebuild_for_some_agencies_leaves_the_others_alone(world):
    DailyRollup.objects.filter(agency=world.c2).update(received=5)
    DailyRollup.objects.filter(agency=world.c1).delete()

    assert rebuild_rollups(date_from=date(2026, 3, 2), date_to=date(2026, 3, 6), agency_ids=[world.c1.pk]) == 12
    assert rows_of(world.c1) == C1_ROWS
    assert DailyRollup.objects.get(agency=world.c2).received == 5
    assert rebuild_rollups(date_from=date(2026, 3, 2), date_to=date(2026, 3, 6), agency_ids=[]) == 0


def test_a_day_recomputed_for_a_dossier_touches_only_its_agency_and_day(world):
    DailyRollup.objects.filter(agency=world.c1).update(received=0)
    assert rollups_recompute_for_dossier(dossier_id=world.dossiers["A"].pk, day=date(2026, 3, 2)) == 4
    assert rows_of(world.c1)[(2, P3, "online")]["received"] == 2
    assert rows_of(world.c1)[(4, P3, "online")] == {"supplement_requests": 1, "received_digitised": 1}
    assert rollups_recompute_for_dossier(dossier_id=0, day=date(2026, 3, 2)) == 0


def test_rows_are_computed_without_writing_for_a_live_day(world):
    DailyRollup.objects.all().delete()
    rows = rollup_rows(date_from=date(2026, 3, 6), date_to=date(2026, 3, 6), agency_ids=[world.c1.pk])
    assert {(key.procedure_id, key.channel) for key in rows} == {
        (world.p3.pk, c) for c in ("counter", "online", "postal")
    }
    assert not DailyRollup.objects.exists()


def test_a_calendar_change_drops_the_working_day_table_and_the_rebuild_follows_it(world):
    assert WorkingDayOrdinal.objects.exists()
    CalendarOverride.objects.create(date=date(2026, 3, 3), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bù")
    assert not WorkingDayOrdinal.objects.exists()

    rebuild_rollups(date_from=w.MARCH[0], date_to=w.MARCH[1], agency_ids=[world.c1.pk])

    processing = sum(row.get("processing_working_days", 0) for row in rows_of(world.c1).values())
    # Tuesday off: A 0, B 2, C 3, D 3 - (1 + 1) = 1, G 1, H 3.
    assert processing == 10


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 2, 13), date(2026, 2, 23)),  # Tết 2026: 16-20 February off
        (date(2026, 8, 21), date(2026, 8, 24)),  # a make-up Saturday (22 August)
        (date(1999, 12, 30), date(2000, 1, 4)),  # across the table's epoch
        (date(2026, 3, 6), date(2026, 3, 2)),  # backwards
    ],
)
def test_the_working_day_table_counts_as_the_calendar_does(db, start, end):
    ordinals_ensure(date_from=min(start, end), date_to=max(start, end))
    ordinal = dict(WorkingDayOrdinal.objects.values_list("day", "ordinal"))
    assert ordinal[end] - ordinal[start] == working_days_between(start, end)


def test_the_working_day_table_counts_from_its_epoch(db):
    ordinals_ensure(date_from=date(1999, 12, 1), date_to=date(2000, 1, 31))
    assert WorkingDayOrdinal.objects.get(day=EPOCH).ordinal == 0
    assert WorkingDayOrdinal.objects.get(day=date(1999, 12, 31)).ordinal == 0  # Saturday 1 January 2000 is off


# --- Commands -----------------------------------------------------------------------------------------


def test_rebuild_command_takes_a_range_and_an_agency_with_its_subtree(world):
    DailyRollup.objects.all().delete()
    out = StringIO()
    call_command(
        "rebuild_rollups", "--from", "2026-03-01", "--to", "2026-03-31", "--agency", world.province.code, stdout=out
    )
    assert out.getvalue().startswith(f"{len(C1_ROWS) + 1} rollup row(s) written for 2026-03-01 – 2026-03-31 in ")
    assert rows_of(world.c1) == C1_ROWS and not DailyRollup.objects.filter(agency=world.other).exists()


def test_rebuild_command_defaults_to_the_first_dossier_and_today(world):
    DailyRollup.objects.all().delete()
    out = StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "2026-03-02 – " in out.getvalue() and rows_of(world.c1) == C1_ROWS


@pytest.mark.parametrize(
    "arguments",
    [["--from", "2026-02-30"], ["--from", "2026-03-05", "--to", "2026-03-04"], ["--agency", "000.99.99.H99"]],
)
def test_rebuild_command_refuses_bad_arguments(db, arguments):
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", *arguments, stdout=StringIO())


def test_reconcile_recomputes_the_recent_days(world, settings):
    settings.FIGURES_RECONCILE_DAYS = 3
    DailyRollup.objects.all().delete()
    with w.time_machine.travel(w.at(6, 18), tick=False):
        out = StringIO()
        call_command("reconcile_rollups", stdout=out)
    assert out.getvalue() == "6 rollup row(s) written for the last 3 day(s)\n"
    assert {day for day, _code, _channel in rows_of(world.c1)} == {4, 5, 6}
