"""Daily rollups: each agency's figures per day, procedure and intake channel, recomputed from the rows.

Which moment puts a figure on its day (the date in the office time zone, settings.OFFICE_TIME_ZONE),
everywhere in the figures (rollups, live rows for today, the KPIs, the Decision 766 index):

- received, received_with_fee, received_digitised: `Dossier.received_at`, the moment the agency took
  the dossier in (an online dossier received from the queue, a paper one registered at the counter or
  arriving by post), which starts the appointment clock. A dossier sent but never received (waiting,
  rejected at reception, withdrawn before) is not received. With a fee: `amount_due` > 0. Digitised:
  as dossiers.selectors.dossier_digitised_q says (every current file digitised, every mandatory paper
  with a digitised copy); a scan added or marked after the receipt recomputes the receipt's day.
- completed_*: `Dossier.completed_at` of dossiers in status `completed` (result handed over or
  delivered). Their timeliness is judged at the moment the result was issued (the first time the
  dossier entered `result_ready`; `completed_at` if no such event exists), against `due_at`, which the
  workflow already moved back by the working days the applicant took to supplement (their time is
  not counted):
    late:     issued after `due_at`, or an apology slip was issued (Decree 61/2018 Art. 19: the slip
              is for a missed appointment, so the new date it gives does not make the dossier on time);
    early:    not late and issued on a day before the appointment's day;
    due day:  neither (no appointment recorded counts here too).
  completed_multi_supplement: it needed more than one supplement request; completed_in_time_multi_supplement:
  those among them that were early or on the due day (Decision 766 counts them late).
  processing_working_days: working days from receipt to the result, less the working days the clock
  stood still for supplements (request after receipt → the applicant's answer), counted as
  procedures.calendar counts them (days d with start < d <= end); allowed_working_days: the
  procedure's processing time. completed_with_e_result: the result exists as a file (the e-copy the
  applicant keeps in their document store).
- rejected (at reception), refused (after processing): `completed_at`, the moment they closed.
- supplement_requests: the moment each request was made (an event entering `supplement_requested`).
- payments_online(_amount): `Payment.paid_at` of online payments that took money (refunded later or not).
- refunds(_amount): `Payment.refunded_at`.
- ratings, rating_score_sum, ratings_dissatisfied (score <= DISSATISFIED_MAX_SCORE): `Rating.created_at`.

Every figure is keyed by its dossier's agency, procedure and intake channel. A change recomputes its
agency's rows of the day it happened (figures.receivers, after commit); rebuild_rollups recomputes
any range and is what the periodic reconciliation and `manage.py rebuild_rollups` run.
"""

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

import portal.clock as clock
from dossiers import rules
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from figures.cache import figures_changed
from figures.facts import KEY_COLUMNS, figures_select
from figures.models import METRICS, DailyRollup
from procedures.calendar import office_time_zone
from procedures.models import Agency

S = DossierStatus
# Entering one of these may change a figure of the day (received, a supplement request, a closing).
STATUSES_WITH_FIGURES = frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED}) | rules.FINAL_STATUSES


class Key(NamedTuple):
    day: date
    agency_id: int
    procedure_id: int
    channel: str


Rows = dict[Key, dict[str, int]]
assert Key._fields == KEY_COLUMNS  # the order figures_select gives its columns in
REBUILD_WORK_MEM = "256MB"
ANALYZE_AFTER_ROWS = 10_000


def rebuild_rollups(*, date_from: date, date_to: date, agency_ids: Collection[int] | None = None) -> int:
    """Recompute the rollup rows of these days (of these agencies; None: all) from the dossiers.

    Set-based: per calendar year of the range, one INSERT ... SELECT whose SELECT adds up an aggregate
    query per kind of fact, grouped by day, agency, procedure and channel, after the year's old rows are
    deleted, in one transaction under a lock on the agencies' rows, so a replayed or concurrent run
    leaves the same rows. Returns the number of rows written.
    """
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    if agency_ids is not None:
        agency_ids = sorted(set(agency_ids))
        if not agency_ids:
            return 0
    written = sum(_rebuild_chunk(start, end, agency_ids) for start, end in _years(date_from, date_to))
    figures_changed()
    if written >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        # A big rebuild replaces most of the table: fresh statistics keep the readers' plans right.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DailyRollup._meta.db_table}")
    return written


def rollups_recompute_for_dossier(*, dossier_id: int, day: date) -> int:
    """Recompute the day's rows of the dossier's agency (the after-commit task of every change)."""
    agency_id = Dossier.objects.filter(pk=dossier_id).values_list("agency_id", flat=True).first()
    if agency_id is None:
        return 0
    return rebuild_rollups(date_from=day, date_to=day, agency_ids=[agency_id])


def rollup_rows(*, date_from: date, date_to: date, agency_ids: Collection[int] | None = None) -> Rows:
    """The figures of these days as rollup rows would hold them, computed from the dossiers (no writes
    but the working-day table). Selectors use it for today; rebuild_rollups writes the same rows."""
    if agency_ids is not None and not agency_ids:
        return {}
    sql, params = figures_select(date_from, date_to, agency_ids)
    rows: Rows = {}
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(sql, params)
        for day, agency_id, procedure_id, channel, *figures in cursor.fetchall():
            if isinstance(day, str):  # SQLite gives a computed date back as text
                day = date.fromisoformat(day)
            rows[Key(day, agency_id, procedure_id, channel)] = dict(zip(METRICS, map(int, figures), strict=True))
    return rows


@transaction.atomic
def _rebuild_chunk(date_from: date, date_to: date, agency_ids: list[int] | None) -> int:
    # A run for an agency waits for another run on it: the later one computes from the later data.
    agencies = Agency.objects.select_for_update(no_key=True).order_by("pk")
    list(agencies.filter(pk__in=agency_ids) if agency_ids is not None else agencies)
    stale = DailyRollup.objects.filter(day__range=(date_from, date_to))
    if agency_ids is not None:
        stale = stale.filter(agency_id__in=agency_ids)
    stale.delete()
    select, params = figures_select(date_from, date_to, agency_ids)
    columns = ", ".join(connection.ops.quote_name(name) for name in (*KEY_COLUMNS, *METRICS))
    with connection.cursor() as cursor:
        _tune(cursor, work_mem=REBUILD_WORK_MEM)
        cursor.execute(f"INSERT INTO {DailyRollup._meta.db_table} ({columns}) {select}", params)
        return cursor.rowcount


def _tune(cursor, *, work_mem: str = "") -> None:
    """PostgreSQL, for this transaction: no JIT (compiling these statements took longer than running them,
    17 s of a year's rebuild), and for a rebuild the memory to hash a year's groups without spilling."""
    if connection.vendor != "postgresql":
        return
    cursor.execute("SET LOCAL jit = off")
    if work_mem:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])


def _years(date_from: date, date_to: date) -> Iterable[tuple[date, date]]:
    """The range cut at new year: each piece is one statement over every table, so fewer pieces are faster,
    and a year keeps the agencies locked for well under a minute with a million dossiers."""
    start = date_from
    while start <= date_to:
        end = min(date(start.year, 12, 31), date_to)
        yield start, end
        start = end + timedelta(days=1)


def rollups_reconcile(*, today: date | None = None) -> int:
    """The periodic reconciliation: the last FIGURES_RECONCILE_DAYS days (today included) recomputed for every
    agency, catching changes whose after-commit task was lost (a broker outage) or calendar edits."""
    today = today or timezone.localdate(clock.now(), timezone=office_time_zone())
    days = max(settings.FIGURES_RECONCILE_DAYS, 1)
    return rebuild_rollups(date_from=today - timedelta(days=days - 1), date_to=today)
