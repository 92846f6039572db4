"""Daily rollups: each agency's figures per day, procedure and intake channel, recomputed from the rows.

Which moment puts a figure on its day (the date in the office time zone, settings.OFFICE_TIME_ZONE),
everywhere in the figures (rollups, live rows for today, the KPIs, the Decision 766 index):

- received, received_with_fee, received_digitised: `Dossier.received_at`, the moment the agency took
  the dossier in (an online dossier received from the queue, a paper one registered at the counter or
  arriving by post), which starts the appointment clock. A dossier sent but never received (waiting,
  rejected at reception, withdrawn before) is not received. With a fee: `amount_due` > 0. Digitised:
  it carries at least one current attachment.
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

import calendar as month_calendar
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from dossiers import rules, workflow
from dossiers.constants import DossierStatus
from dossiers.models import Attachment, Dossier, DossierEvent, Rating
from dossiers.overdue import apply_apology
from figures.constants import DISSATISFIED_MAX_SCORE
from figures.models import METRICS, DailyRollup, WorkingDayOrdinal
from figures.workdays import ordinals_ensure_for_dossiers
from payments.constants import PAID_STATUSES, PaymentStatus
from payments.models import Payment
from procedures.calendar import office_time_zone
from procedures.models import Agency, Procedure

S = DossierStatus
# The rows of the workflow table that issue an apology slip (found by their effect, not their name).
APOLOGY_ACTIONS = tuple(sorted({t.action for t in workflow.TRANSITIONS if t.effect is apply_apology}))
# The clock stops when a received dossier is asked for a supplement and starts again when it comes back.
RECEIVED = tuple(sorted(rules.RECEIVED_OPEN_STATUSES))
# Entering one of these may change a figure of the day (received, a supplement request, a closing).
STATUSES_WITH_FIGURES = frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED}) | rules.FINAL_STATUSES


class Key(NamedTuple):
    day: date
    agency_id: int
    procedure_id: int
    channel: str


Rows = dict[Key, dict[str, int]]


class Window(NamedTuple):
    """[start, end) in office time: from the first day's midnight to the midnight after the last day."""

    start: datetime
    end: datetime

    @classmethod
    def of_days(cls, date_from: date, date_to: date) -> "Window":
        tz = office_time_zone()
        return cls(
            datetime.combine(date_from, time.min, tz), datetime.combine(date_to + timedelta(days=1), time.min, tz)
        )


def rebuild_rollups(*, date_from: date, date_to: date, agency_ids: Collection[int] | None = None) -> int:
    """Recompute the rollup rows of these days (of these agencies; None: all) from the dossiers.

    Set-based: a handful of aggregate queries per month of the range, grouped by day, agency,
    procedure and channel; the month's old rows are deleted and the new ones bulk-inserted in one
    transaction, under a lock on the agencies' rows, so a replayed or concurrent run leaves the same
    rows. Returns the number of rows written.
    """
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    if agency_ids is not None:
        agency_ids = sorted(set(agency_ids))
        if not agency_ids:
            return 0
    return sum(_rebuild_chunk(start, end, agency_ids) for start, end in _months(date_from, date_to))


def rollups_recompute_for_dossier(*, dossier_id: int, day: date) -> int:
    """Recompute the day's rows of the dossier's agency (the after-commit task of every change)."""
    agency_id = Dossier.objects.filter(pk=dossier_id).values_list("agency_id", flat=True).first()
    if agency_id is None:
        return 0
    return rebuild_rollups(date_from=day, date_to=day, agency_ids=[agency_id])


def rollup_rows(*, date_from: date, date_to: date, agency_ids: Collection[int] | None = None) -> Rows:
    """The figures of these days as rollup rows would hold them, computed from the dossiers (no writes
    but the working-day table). Selectors use it for today; rebuild_rollups writes what it returns."""
    if agency_ids is not None and not agency_ids:
        return {}
    ordinals_ensure_for_dossiers(date_to=date_to)
    window = Window.of_days(date_from, date_to)
    rows: Rows = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for facts in (_received, _closed, _supplement_requests, _payments, _refunds, _ratings, _completed):
        for figures in facts(window, agency_ids):
            day = figures.pop("day")
            if isinstance(day, str):  # a date computed in raw SQL comes back as text on SQLite
                day = date.fromisoformat(day)
            key = Key(day, figures.pop("agency_id"), figures.pop("procedure_id"), figures.pop("channel"))
            target = rows[key]
            for name, value in figures.items():
                target[name] += int(value or 0)
    return dict(rows)


@transaction.atomic
def _rebuild_chunk(date_from: date, date_to: date, agency_ids: list[int] | None) -> int:
    # A run for an agency waits for another run on it: the later one computes from the later data.
    agencies = Agency.objects.select_for_update(no_key=True).order_by("pk")
    list(agencies.filter(pk__in=agency_ids) if agency_ids is not None else agencies)
    rows = rollup_rows(date_from=date_from, date_to=date_to, agency_ids=agency_ids)
    stale = DailyRollup.objects.filter(day__range=(date_from, date_to))
    if agency_ids is not None:
        stale = stale.filter(agency_id__in=agency_ids)
    stale.delete()
    DailyRollup.objects.bulk_create(
        [DailyRollup(**key._asdict(), **metrics) for key, metrics in rows.items()], batch_size=1000
    )
    return len(rows)


def _months(date_from: date, date_to: date) -> Iterable[tuple[date, date]]:
    start = date_from
    while start <= date_to:
        month_end = start.replace(day=month_calendar.monthrange(start.year, start.month)[1])
        end = min(month_end, date_to)
        yield start, end
        start = end + timedelta(days=1)


# --- The ORM queries: one per kind of fact, grouped by the rollup key ------------------------------


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=office_time_zone())


def _grouped(queryset: QuerySet, timestamp: str, *, via: str = "") -> QuerySet:
    """Group by the day of `timestamp` and the dossier's agency, procedure and channel (through `via`)."""
    if not via:
        return queryset.order_by().values("agency_id", "procedure_id", "channel", day=_local_day(timestamp))
    return queryset.order_by().values(
        day=_local_day(timestamp),
        agency_id=F(f"{via}agency_id"),
        procedure_id=F(f"{via}procedure_id"),
        channel=F(f"{via}channel"),
    )


def _in_window(queryset: QuerySet, timestamp: str, window: Window, agency_ids, *, via: str = "") -> QuerySet:
    queryset = queryset.filter(**{f"{timestamp}__gte": window.start, f"{timestamp}__lt": window.end})
    if agency_ids is not None:
        queryset = queryset.filter(**{f"{via}agency_id__in": agency_ids})
    return queryset


def _received(window: Window, agency_ids) -> QuerySet:
    attached = Attachment.objects.filter(dossier=OuterRef("pk"), superseded_at__isnull=True)
    received = _in_window(Dossier.objects.all(), "received_at", window, agency_ids)
    return _grouped(received, "received_at").annotate(
        received=Count("pk"),
        received_with_fee=Count("pk", filter=Q(amount_due__gt=0)),
        received_digitised=Count("pk", filter=Q(Exists(attached))),
    )


def _closed(window: Window, agency_ids) -> QuerySet:
    closed = _in_window(Dossier.objects.filter(status__in=[S.REJECTED, S.REFUSED]), "completed_at", window, agency_ids)
    return _grouped(closed, "completed_at").annotate(
        rejected=Count("pk", filter=Q(status=S.REJECTED)),
        refused=Count("pk", filter=Q(status=S.REFUSED)),
    )


def _supplement_requests(window: Window, agency_ids) -> QuerySet:
    requests = DossierEvent.objects.filter(to_status=S.SUPPLEMENT_REQUESTED).exclude(from_status=S.SUPPLEMENT_REQUESTED)
    requests = _in_window(requests, "created_at", window, agency_ids, via="dossier__")
    return _grouped(requests, "created_at", via="dossier__").annotate(supplement_requests=Count("pk"))


def _payments(window: Window, agency_ids) -> QuerySet:
    paid = _in_window(Payment.objects.filter(status__in=PAID_STATUSES), "paid_at", window, agency_ids, via="dossier__")
    return _grouped(paid, "paid_at", via="dossier__").annotate(
        payments_online=Count("pk"), payments_online_amount=Sum("amount")
    )


def _refunds(window: Window, agency_ids) -> QuerySet:
    refunded = Payment.objects.filter(status=PaymentStatus.REFUNDED)
    refunded = _in_window(refunded, "refunded_at", window, agency_ids, via="dossier__")
    return _grouped(refunded, "refunded_at", via="dossier__").annotate(
        refunds=Count("pk"), refunds_amount=Sum("amount")
    )


def _ratings(window: Window, agency_ids) -> QuerySet:
    rated = _in_window(Rating.objects.all(), "created_at", window, agency_ids, via="dossier__")
    return _grouped(rated, "created_at", via="dossier__").annotate(
        ratings=Count("pk"),
        rating_score_sum=Sum("score"),
        ratings_dissatisfied=Count("pk", filter=Q(score__lte=DISSATISFIED_MAX_SCORE)),
    )


# --- Completed dossiers: one SQL statement ---------------------------------------------------------
# Each completed dossier needs facts from its events (when the result was issued, how many supplement
# requests, an apology, the days paused) and working-day ordinals: one pass over the events grouped by
# dossier, joined back, then grouped by the rollup key. The ORM would repeat a correlated subquery in
# every aggregate that uses it; this reads each event once. Portable: the date in office time comes
# from the database backend's own expression (the one TruncDate uses).


class _Sql:
    """SQL text and its parameters, written in order so that every placeholder meets its value."""

    def __init__(self):
        self.parts: list[str] = []
        self.params: list = []

    def __call__(self, text: str, *params) -> "_Sql":
        self.parts.append(text)
        self.params.extend(params)
        return self

    def local_date(self, column: str) -> "_Sql":
        sql, params = connection.ops.datetime_cast_date_sql(column, (), office_time_zone().key)
        return self(sql, *params)

    def among(self, values: Collection) -> "_Sql":
        return self("(" + ", ".join(["%s"] * len(values)) + ")", *values)

    def when(self, value: datetime) -> "_Sql":
        return self("%s", connection.ops.adapt_datetimefield_value(value))


COMPLETED_FIGURES = (
    "completed_early",
    "completed_due_day",
    "completed_late",
    "completed_in_time_multi_supplement",
    "completed_multi_supplement",
    "completed_with_e_result",
    "processing_working_days",
    "allowed_working_days",
)


def _completed(window: Window, agency_ids) -> list[dict]:
    dossier, event = Dossier._meta.db_table, DossierEvent._meta.db_table
    procedure, ordinal = Procedure._meta.db_table, WorkingDayOrdinal._meta.db_table
    sql = _Sql()
    sql("WITH done AS (SELECT d.id, d.agency_id, d.procedure_id, d.channel, d.received_at, d.due_at, d.completed_at,")
    sql(" CASE WHEN d.result_file <> '' THEN 1 ELSE 0 END AS e_result, p.processing_days")
    sql(f" FROM {dossier} d JOIN {procedure} p ON p.id = d.procedure_id")
    sql(
        " WHERE d.status = %s AND d.completed_at >= ",
        S.COMPLETED,
    ).when(window.start)(" AND d.completed_at < ").when(window.end)
    if agency_ids is not None:
        sql(" AND d.agency_id IN ").among(agency_ids)
    # Per dossier: the result's first issue, supplement requests, apologies, working days paused.
    sql(
        "), facts AS (SELECT e.dossier_id, MIN(CASE WHEN e.to_status = %s THEN e.created_at END) AS result_at,",
        S.RESULT_READY,
    )
    sql(
        " SUM(CASE WHEN e.to_status = %s AND e.from_status <> %s THEN 1 ELSE 0 END) AS supplements,",
        *[S.SUPPLEMENT_REQUESTED] * 2,
    )
    sql(" SUM(CASE WHEN e.action IN ").among(APOLOGY_ACTIONS)(" THEN 1 ELSE 0 END) AS apologies,")
    sql(" SUM(CASE WHEN e.from_status = %s AND e.to_status IN ", S.SUPPLEMENT_REQUESTED).among(RECEIVED)
    sql(" THEN w.ordinal WHEN e.to_status = %s AND e.from_status IN ", S.SUPPLEMENT_REQUESTED).among(RECEIVED)
    sql(" THEN -w.ordinal ELSE 0 END) AS paused")
    sql(f" FROM {event} e JOIN done ON done.id = e.dossier_id LEFT JOIN {ordinal} w ON w.day = ").local_date(
        "e.created_at"
    )
    sql(
        " WHERE e.to_status IN (%s, %s) OR e.from_status = %s OR e.action IN ",
        S.RESULT_READY,
        *[S.SUPPLEMENT_REQUESTED] * 2,
    )
    sql.among(APOLOGY_ACTIONS)(" GROUP BY e.dossier_id")
    sql(
        "), timed AS (SELECT done.*, COALESCE(facts.result_at, done.completed_at) AS result_at,"
        " COALESCE(facts.supplements, 0) AS supplements, COALESCE(facts.apologies, 0) AS apologies,"
        " COALESCE(facts.paused, 0) AS paused FROM done LEFT JOIN facts ON facts.dossier_id = done.id"
    )
    sql("), judged AS (SELECT t.agency_id, t.procedure_id, t.channel, t.e_result, t.processing_days, t.supplements,")
    sql(" t.paused, wr.ordinal AS received_ordinal, wf.ordinal AS result_ordinal, ").local_date("t.completed_at")
    sql(" AS day, CASE WHEN t.apologies > 0 OR t.result_at > t.due_at THEN 1 ELSE 0 END AS late,")
    sql(" CASE WHEN ").local_date("t.result_at")(" < ").local_date("t.due_at")(" THEN 1 ELSE 0 END AS before_due_day")
    sql(f" FROM timed t LEFT JOIN {ordinal} wr ON wr.day = ").local_date("t.received_at")
    sql(f" LEFT JOIN {ordinal} wf ON wf.day = ").local_date("t.result_at")
    sql(
        ") SELECT day, agency_id, procedure_id, channel,"
        " SUM(CASE WHEN late = 0 AND before_due_day = 1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN late = 0 AND before_due_day = 0 THEN 1 ELSE 0 END),"
        " SUM(late),"
        " SUM(CASE WHEN late = 0 AND supplements > 1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN supplements > 1 THEN 1 ELSE 0 END),"
        " SUM(e_result),"
        " SUM(CASE WHEN result_ordinal - received_ordinal - paused > 0"
        " THEN result_ordinal - received_ordinal - paused ELSE 0 END),"
        " SUM(processing_days)"
        " FROM judged GROUP BY day, agency_id, procedure_id, channel"
    )
    with connection.cursor() as cursor:
        cursor.execute("".join(sql.parts), sql.params)
        columns = ("day", "agency_id", "procedure_id", "channel", *COMPLETED_FIGURES)
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def rollups_reconcile(*, today: date | None = None) -> int:
    """The periodic reconciliation: the last FIGURES_RECONCILE_DAYS days (today included) recomputed for every
    agency, catching changes whose after-commit task was lost (a broker outage) or calendar edits."""
    today = today or timezone.localdate(timezone=office_time_zone())
    days = max(settings.FIGURES_RECONCILE_DAYS, 1)
    return rebuild_rollups(date_from=today - timedelta(days=days - 1), date_to=today)
