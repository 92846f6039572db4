"""The facts behind the rollups, as SQL: one aggregate query per kind of fact, grouped by the rollup key
(day in office time, agency, procedure, channel), added up in one SELECT. Which moment puts each fact on
its day is defined in figures.rollups (its docstring); this module only says it in SQL.
"""

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from dossiers import rules, workflow
from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent, Rating
from dossiers.overdue import apply_apology
from dossiers.selectors import dossier_digitised_q
from figures.constants import DISSATISFIED_MAX_SCORE
from figures.models import METRICS, WorkingDayOrdinal
from figures.workdays import ordinals_ensure_for_dossiers
from payments.constants import PAID_STATUSES, PaymentStatus
from payments.models import Payment
from procedures.calendar import office_time_zone
from procedures.models import Procedure

S = DossierStatus
# The rows of the workflow table that issue an apology slip (found by their effect, not their name).
APOLOGY_ACTIONS = tuple(sorted({t.action for t in workflow.TRANSITIONS if t.effect is apply_apology}))
# The clock stops when a received dossier is asked for a supplement and starts again when it comes back.
RECEIVED = tuple(sorted(rules.RECEIVED_OPEN_STATUSES))
KEY_COLUMNS = ("day", "agency_id", "procedure_id", "channel")


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


def figures_select(date_from: date, date_to: date, agency_ids) -> tuple[str, list]:
    """One SELECT of every figure of these days, grouped by the rollup key: each kind of fact is an
    aggregate query of its own, and their rows are added up by key."""
    ordinals_ensure_for_dossiers(date_to=date_to)
    window = Window.of_days(date_from, date_to)
    branches, params = [], []
    for facts in (_received, _closed, _supplement_requests, _payments, _refunds, _ratings):
        queryset = facts(window, agency_ids)
        sql, sql_params = queryset.query.sql_with_params()
        branches.append(_branch(sql, provides=set(queryset.query.annotation_select) & set(METRICS)))
        params.extend(sql_params)
    sql, sql_params = _completed_sql(window, agency_ids)
    branches.append(_branch(sql, provides=set(COMPLETED_FIGURES)))
    params.extend(sql_params)
    quote = connection.ops.quote_name
    key = ", ".join(quote(name) for name in KEY_COLUMNS)
    sums = ", ".join(f"SUM({quote(name)})" for name in METRICS)
    union = " UNION ALL ".join(branches)
    # Column names from the model, values as parameters: nothing here comes from a caller.
    return f"SELECT {key}, {sums} FROM ({union}) figures GROUP BY {key}", params  # noqa: S608


def _branch(sql: str, *, provides: set) -> str:
    """A fact query's rows with every rollup column: its own figures, zeros for the others."""
    quote = connection.ops.quote_name
    columns = [quote(name) for name in KEY_COLUMNS]
    columns += [quote(name) if name in provides else f"0 AS {quote(name)}" for name in METRICS]
    return f"SELECT {', '.join(columns)} FROM ({sql}) fact"  # noqa: S608 (the ORM's SQL, model column names)


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
    received = _in_window(Dossier.objects.all(), "received_at", window, agency_ids)
    return _grouped(received, "received_at").annotate(
        received=Count("pk"),
        received_with_fee=Count("pk", filter=Q(amount_due__gt=0)),
        received_digitised=Count("pk", filter=dossier_digitised_q()),
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


def _completed_sql(window: Window, agency_ids) -> tuple[str, list]:
    dossier, event = Dossier._meta.db_table, DossierEvent._meta.db_table
    procedure, ordinal = Procedure._meta.db_table, WorkingDayOrdinal._meta.db_table
    sql = _Sql()

    def completed_in_window(alias: str) -> None:
        sql(f" WHERE {alias}.status = %s AND {alias}.completed_at >= ", S.COMPLETED).when(window.start)
        sql(f" AND {alias}.completed_at < ").when(window.end)
        if agency_ids is not None:
            sql(f" AND {alias}.agency_id IN ").among(agency_ids)

    # Per completed dossier: the result's first issue, supplement requests, apologies, working days paused.
    sql(
        "WITH facts AS (SELECT e.dossier_id, MIN(CASE WHEN e.to_status = %s THEN e.created_at END) AS result_at,",
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
    sql(f" FROM {event} e JOIN {dossier} d ON d.id = e.dossier_id LEFT JOIN {ordinal} w ON w.day = ")
    sql.local_date("e.created_at")
    completed_in_window("d")
    sql(" AND (e.to_status IN (%s, %s) OR e.from_status = %s", S.RESULT_READY, *[S.SUPPLEMENT_REQUESTED] * 2)
    sql(" OR e.action IN ").among(APOLOGY_ACTIONS)(") GROUP BY e.dossier_id")
    # Per completed dossier again, judged: late, early, working days from receipt to result less the pauses.
    result_at = "COALESCE(f.result_at, d.completed_at)"
    sql("), judged AS (SELECT d.agency_id, d.procedure_id, d.channel, p.processing_days,")
    sql(" CASE WHEN d.result_file <> '' THEN 1 ELSE 0 END AS e_result,")
    sql(" COALESCE(f.supplements, 0) AS supplements, COALESCE(f.paused, 0) AS paused,")
    sql(" wr.ordinal AS received_ordinal, wf.ordinal AS result_ordinal, ").local_date("d.completed_at")(" AS day,")
    sql(f" CASE WHEN COALESCE(f.apologies, 0) > 0 OR {result_at} > d.due_at THEN 1 ELSE 0 END AS late,")
    sql(" CASE WHEN ").local_date(result_at)(" < ").local_date("d.due_at")(" THEN 1 ELSE 0 END AS before_due_day")
    sql(f" FROM {dossier} d JOIN {procedure} p ON p.id = d.procedure_id")
    sql(" LEFT JOIN facts f ON f.dossier_id = d.id")
    sql(f" LEFT JOIN {ordinal} wr ON wr.day = ").local_date("d.received_at")
    sql(f" LEFT JOIN {ordinal} wf ON wf.day = ").local_date(result_at)
    completed_in_window("d")
    sql(
        ") SELECT day, agency_id, procedure_id, channel,"
        " SUM(CASE WHEN late = 0 AND before_due_day = 1 THEN 1 ELSE 0 END) AS completed_early,"
        " SUM(CASE WHEN late = 0 AND before_due_day = 0 THEN 1 ELSE 0 END) AS completed_due_day,"
        " SUM(late) AS completed_late,"
        " SUM(CASE WHEN late = 0 AND supplements > 1 THEN 1 ELSE 0 END) AS completed_in_time_multi_supplement,"
        " SUM(CASE WHEN supplements > 1 THEN 1 ELSE 0 END) AS completed_multi_supplement,"
        " SUM(e_result) AS completed_with_e_result,"
        " SUM(CASE WHEN result_ordinal - received_ordinal - paused > 0"
        " THEN result_ordinal - received_ordinal - paused ELSE 0 END) AS processing_working_days,"
        " SUM(processing_days) AS allowed_working_days"
        " FROM judged GROUP BY day, agency_id, procedure_id, channel"
    )
    return "".join(sql.parts), sql.params
