"""Reads of the figures: KPIs, trend, channel mix, agencies ranked, idle online procedures, targets.

Past days come from the rollups, today from the dossiers themselves (figures.rollups.rollup_rows for
one day of the scope's agencies), so no request scans all dossiers. Every function runs a fixed number
of queries, whatever the number of agencies, procedures or days. Ratios are fractions 0..1, None when
nothing was counted under them.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from dossiers.models import Dossier
from figures.cache import cached_figures
from figures.constants import IDLE_ONLINE_YEARS, TargetMetric
from figures.facts import Window
from figures.models import METRICS, DailyRollup, Target
from figures.rollups import rollup_rows
from figures.scope import AgencyTree, Scope, today
from procedures.constants import IntakeChannel, OnlineLevel
from procedures.models import Agency, Procedure, RequiredDocument

Sums = dict[str, int]
# A period longer than this is drawn month by month, a shorter one day by day.
DAILY_TREND_MAX_DAYS = 62


def zeros() -> Sums:
    return dict.fromkeys(METRICS, 0)


def ratio(part, whole) -> float | None:
    return round(part / whole, 6) if whole else None


def _add(into: Sums, figures: dict) -> None:
    for name in METRICS:
        into[name] += int(figures.get(name) or 0)


def _scoped(queryset: QuerySet, scope: Scope) -> QuerySet:
    if scope.agency_ids is not None:
        queryset = queryset.filter(agency_id__in=scope.agency_ids)
    if scope.procedure_ids is not None:
        queryset = queryset.filter(procedure_id__in=scope.procedure_ids)
    return queryset


def _scope_parts(scope: Scope) -> tuple:
    def ids(values):
        return None if values is None else tuple(sorted(values))

    return ids(scope.agency_ids), ids(scope.procedure_ids)


def figure_sums(*, scope: Scope, date_from: date, date_to: date, by: Iterable[str] = ()) -> dict[tuple, Sums]:
    """The rollup figures of the period summed by `by` (rollup fields, or "month"): past days from
    the rollups (one query), today from the dossiers; kept in the figures' cache until a figure changes."""
    by = tuple(by)
    parts = (_scope_parts(scope), date_from, date_to, by, today())
    return cached_figures("sums", parts, lambda: _figure_sums(scope, date_from, date_to, by))


def _figure_sums(scope: Scope, date_from: date, date_to: date, by: tuple[str, ...]) -> dict[tuple, Sums]:
    sums: dict[tuple, Sums] = defaultdict(zeros)
    current = today()
    past_to = min(date_to, current - timedelta(days=1))
    if date_from <= past_to:
        past = _scoped(DailyRollup.objects.filter(day__range=(date_from, past_to)), scope).order_by()
        totals = {name: Sum(name) for name in METRICS}
        if by:
            plain = [name for name in by if name != "month"]
            grouped = past.values(*plain, **({"month": TruncMonth("day")} if "month" in by else {}))
            for row in grouped.annotate(**totals):
                _add(sums[tuple(row[name] for name in by)], row)
        else:
            _add(sums[()], past.aggregate(**totals))
    if date_from <= current <= date_to:
        for key, figures in _today_rows(scope).items():
            if scope.procedure_ids is None or key.procedure_id in scope.procedure_ids:
                values = {**key._asdict(), "month": key.day.replace(day=1)}
                _add(sums[tuple(values[name] for name in by)], figures)
    return dict(sums)


def _today_rows(scope: Scope) -> dict:
    """Today's rows of the scope's agencies, computed from the dossiers once for all of a page's groupings."""
    agency_ids = _scope_parts(scope)[0]
    return cached_figures(
        "today", (agency_ids, today()), lambda: rollup_rows(date_from=today(), date_to=today(), agency_ids=agency_ids)
    )


def totals_of(sums: Iterable[Sums]) -> Sums:
    total = zeros()
    for figures in sums:
        _add(total, figures)
    return total


def kpi_values(figures: Sums) -> dict:
    """The KPIs one set of summed figures gives (also each row of a trend or ranking)."""
    completed_on_time = figures["completed_early"] + figures["completed_due_day"]
    completed_total = completed_on_time + figures["completed_late"]
    return {
        "received_total": figures["received"],
        "completed_total": completed_total,
        "completed_on_time": completed_on_time,
        "completed_early": figures["completed_early"],
        "completed_late": figures["completed_late"],
        "on_time_ratio": ratio(completed_on_time, completed_total),
        "avg_processing_working_days": ratio(figures["processing_working_days"], completed_total),
        "supplement_requests": figures["supplement_requests"],
        "completed_multi_supplement": figures["completed_multi_supplement"],
        "rejected": figures["rejected"],
        "refused": figures["refused"],
        "ratings_count": figures["ratings"],
        "ratings_dissatisfied": figures["ratings_dissatisfied"],
        "satisfaction_average": ratio(figures["rating_score_sum"], figures["ratings"]),
        "payments_online_count": figures["payments_online"],
        "payments_online_amount": figures["payments_online_amount"],
        "refunds_count": figures["refunds"],
        "refunds_amount": figures["refunds_amount"],
    }


# --- The catalog in scope ----------------------------------------------------------------------------


def procedures_offered(*, scope: Scope) -> QuerySet[Procedure]:
    """Active procedures that an agency of the scope offers (narrowed to the scope's procedures)."""
    offered = Procedure.objects.filter(is_active=True)
    if scope.agency_ids is not None:
        links = Procedure.agencies.through.objects.filter(agency_id__in=scope.agency_ids)
        offered = offered.filter(pk__in=links.values("procedure_id"))
    if scope.procedure_ids is not None:
        offered = offered.filter(pk__in=scope.procedure_ids)
    return offered


def published_fully_q() -> Q:
    """A procedure whose public record has the parts Decree 63/2010 Art. 8 asks to publish that the
    catalog holds: steps, papers, processing time, result and legal basis (fees may be zero)."""
    papers = RequiredDocument.objects.filter(procedure=OuterRef("pk"))
    return Q(Exists(papers), processing_days__gt=0) & ~Q(description="") & ~Q(result_name="") & ~Q(legal_basis="")


def procedure_counts(*, scope: Scope) -> dict[str, int]:
    """Catalog counts of the scope in one query."""
    with_fee = Q(fee__gt=0) | Q(charge__gt=0)
    return procedures_offered(scope=scope).aggregate(
        procedures_total=Count("pk"),
        procedures_online=Count("pk", filter=Q(online_level__gte=OnlineLevel.LEVEL_3)),
        procedures_level4=Count("pk", filter=Q(online_level=OnlineLevel.LEVEL_4)),
        procedures_with_fee=Count("pk", filter=with_fee),
        procedures_payable_online=Count("pk", filter=with_fee & Q(online_level=OnlineLevel.LEVEL_4)),
        procedures_published_fully=Count("pk", filter=published_fully_q()),
    )


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def idle_online_procedures(*, scope: Scope, as_of: date) -> QuerySet[Procedure]:
    """Procedures of the scope offered online (level 3 or 4) that no agency of the scope received an
    online dossier for in the IDLE_ONLINE_YEARS years up to `as_of` (rollups; today from the dossiers)."""
    since = years_before(as_of, IDLE_ONLINE_YEARS) + timedelta(days=1)
    used = _scoped(DailyRollup.objects.filter(day__range=(since, as_of), channel=IntakeChannel.ONLINE), scope)
    idle = procedures_offered(scope=scope).filter(online_level__gte=OnlineLevel.LEVEL_3)
    idle = idle.exclude(pk__in=used.filter(received__gt=0, day__lt=today()).values("procedure_id"))
    current = today()
    if since <= current <= as_of:
        window = Window.of_days(current, current)
        received_today = Dossier.objects.filter(
            channel=IntakeChannel.ONLINE, received_at__gte=window.start, received_at__lt=window.end
        )
        if scope.agency_ids is not None:
            received_today = received_today.filter(agency_id__in=scope.agency_ids)
        idle = idle.exclude(pk__in=received_today.values("procedure_id"))
    return idle.order_by("code")


def idle_online_procedures_count(*, scope: Scope, as_of: date) -> int:
    parts = (_scope_parts(scope), as_of, today())
    return cached_figures("idle", parts, lambda: idle_online_procedures(scope=scope, as_of=as_of).count())


# --- What the dashboard draws ------------------------------------------------------------------------


def kpis(*, scope: Scope, date_from: date, date_to: date) -> dict:
    """The KPI answer of /api/v1/stats/kpis/ (without targets)."""
    by_channel = figure_sums(scope=scope, date_from=date_from, date_to=date_to, by=("channel",))
    figures = totals_of(by_channel.values())
    received = {channel: by_channel.get((channel,), zeros())["received"] for channel in IntakeChannel.values}
    catalog = procedure_counts(scope=scope)
    values = kpi_values(figures)
    return {
        **values,
        "received_online": received[IntakeChannel.ONLINE],
        "received_counter": received[IntakeChannel.COUNTER],
        "received_postal": received[IntakeChannel.POSTAL],
        "online_ratio": ratio(received[IntakeChannel.ONLINE], values["received_total"]),
        "received_digitised": figures["received_digitised"],
        "digitised_ratio": ratio(figures["received_digitised"], values["received_total"]),
        "procedures_total": catalog["procedures_total"],
        "procedures_online": catalog["procedures_online"],
        "procedures_level4": catalog["procedures_level4"],
        "level4_coverage": ratio(catalog["procedures_level4"], catalog["procedures_total"]),
        "online_procedures_without_online_dossiers": idle_online_procedures_count(scope=scope, as_of=date_to),
    }


def channel_mix(*, scope: Scope, date_from: date, date_to: date) -> list[dict]:
    by_channel = figure_sums(scope=scope, date_from=date_from, date_to=date_to, by=("channel",))
    total = sum(figures["received"] for figures in by_channel.values())
    rows = []
    for channel, label in IntakeChannel.choices:
        received = by_channel.get((channel,), zeros())["received"]
        rows.append({"channel": channel, "label": str(label), "received": received, "share": ratio(received, total)})
    return rows


def trend_buckets(date_from: date, date_to: date) -> tuple[str, list[date]]:
    """("day", every day) for a short period, else ("month", the first day of every month)."""
    if (date_to - date_from).days < DAILY_TREND_MAX_DAYS:
        return "day", [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    months, month = [], date_from.replace(day=1)
    while month <= date_to:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return "month", months


def kpi_trend(*, scope: Scope, date_from: date, date_to: date) -> dict:
    """The KPIs per day (short periods) or per month, every bucket present (zeros where nothing happened)."""
    unit, buckets = trend_buckets(date_from, date_to)
    by = ("month", "channel") if unit == "month" else ("day", "channel")
    sums = figure_sums(scope=scope, date_from=date_from, date_to=date_to, by=by)
    per_bucket: dict[date, Sums] = defaultdict(zeros)
    online: dict[date, int] = defaultdict(int)
    for (bucket, channel), figures in sums.items():
        _add(per_bucket[bucket], figures)
        if channel == IntakeChannel.ONLINE:
            online[bucket] += figures["received"]
    points = []
    for bucket in buckets:
        values = kpi_values(per_bucket[bucket])
        points.append(
            {
                "period": bucket.isoformat()[:7] if unit == "month" else bucket.isoformat(),
                "received_total": values["received_total"],
                "received_online": online[bucket],
                "online_ratio": ratio(online[bucket], values["received_total"]),
                "completed_total": values["completed_total"],
                "completed_on_time": values["completed_on_time"],
                "completed_late": values["completed_late"],
                "on_time_ratio": values["on_time_ratio"],
            }
        )
    return {"unit": unit, "points": points}


RANKING_METRICS = ("online_ratio", "on_time_ratio", "received_total", "satisfaction_average")


def agencies_ranked(
    *, scope: Scope, gov_level: str, date_from: date, date_to: date, order_by: str = "online_ratio"
) -> list[dict]:
    """Agencies of one government level within the scope, each with the figures of its whole subtree,
    best first by `order_by` (agencies with nothing to measure last)."""
    tree = AgencyTree.load()
    candidates = frozenset(
        pk
        for pk, level in tree.level.items()
        if level == gov_level and (scope.agency_ids is None or pk in scope.agency_ids)
    )
    if not candidates:
        return []
    members = tree.subtree(candidates)
    member_scope = Scope(agency_ids=members, procedure_ids=scope.procedure_ids)
    sums = figure_sums(scope=member_scope, date_from=date_from, date_to=date_to, by=("agency_id", "channel"))
    per_agency: dict[int, Sums] = defaultdict(zeros)
    online: dict[int, int] = defaultdict(int)
    for (agency_id, channel), figures in sums.items():
        owner = tree.ancestor_at(agency_id, candidates)
        _add(per_agency[owner], figures)
        if channel == IntakeChannel.ONLINE:
            online[owner] += figures["received"]
    agencies = Agency.objects.filter(pk__in=candidates).only("code", "name", "gov_level")
    rows = []
    for agency in agencies:
        values = kpi_values(per_agency[agency.pk])
        values["received_online"] = online[agency.pk]
        values["online_ratio"] = ratio(online[agency.pk], values["received_total"])
        rows.append({"agency": agency.code, "agency_name": agency.name, **values})
    rows.sort(key=lambda row: (row[order_by] is None, -(row[order_by] or 0), row["agency"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


# --- Targets -----------------------------------------------------------------------------------------


def target_progress(*, agency_id: int, year: int, values: dict) -> list[dict]:
    """The agency's targets for the year against `values` (a KPI answer): actual, target, met or not."""
    rows = []
    for target in Target.objects.filter(agency_id=agency_id, year=year).order_by("metric"):
        goal = float(target.percent) / 100
        actual = values.get(target.metric)
        rows.append(
            {
                "metric": target.metric,
                "label": str(TargetMetric(target.metric).label),
                "year": year,
                "target": round(goal, 6),
                "actual": actual,
                "met": actual is not None and actual >= goal,
                "progress": None if actual is None else (min(actual / goal, 1.0) if goal else 1.0),
            }
        )
    return rows


def year_progress(*, scope: Scope, year: int) -> list[dict]:
    """Targets of the scope's agency for a year, against the year so far (the dashboard's progress bars)."""
    if scope.focus_agency_id is None:
        return []
    date_from, date_to = date(year, 1, 1), min(date(year, 12, 31), today())
    values = kpis(scope=scope, date_from=date_from, date_to=date_to) if date_from <= date_to else {}
    return target_progress(agency_id=scope.focus_agency_id, year=year, values=values)


def most_used_procedure_ids(*, days: int = 90, limit: int = 6) -> list[int]:
    """The procedures most dossiers were received for over the last `days` days (from the rollups), most first."""
    ranked = (
        DailyRollup.objects.filter(day__gte=today() - timedelta(days=days))
        .values("procedure_id")
        .annotate(received_total=Sum("received"))
        .filter(received_total__gt=0)
        .order_by("-received_total", "procedure_id")[:limit]
    )
    return [row["procedure_id"] for row in ranked]
