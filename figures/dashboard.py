"""The leaders' dashboard as tables: each table is what a chart draws and what an export writes, built
from the same reads as the API (figures.reports, figures.selectors, figures.service_index), so the page,
the CSV/XLSX and the API give the same numbers."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from figures import reports, selectors
from figures.scope import AgencyTree, FiguresQuery, Scope, figures_scope, figures_visible_roots
from procedures.constants import GovLevel
from procedures.models import Agency

# A column of kind BY_ROW takes each row's own "kind" (the summary table mixes counts, shares and amounts).
BY_ROW = "by_row"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # "text", "int", "money" (VND), "ratio" (a fraction 0..1), "number" (a decimal), or BY_ROW.
    kind: str = "int"

    def kind_in(self, row: dict) -> str:
        return row.get("kind", "number") if self.kind == BY_ROW else self.kind


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    # What the chart beside the table draws (None: a table only); read by figures/dashboard.js.
    chart: dict | None = None
    note: str = ""

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.key}"


@dataclass
class Dashboard:
    query: FiguresQuery
    scope: Scope
    rank_level: str
    levels: list[str]
    headline: dict
    tables: dict[str, Table] = field(default_factory=dict)


TABLE_KEYS = ("summary", "trend", "channels", "ranking", "index", "targets")

SUMMARY_ROWS = (
    ("received_total", gettext_lazy("Hồ sơ tiếp nhận"), "int"),
    ("received_online", gettext_lazy("Tiếp nhận trực tuyến"), "int"),
    ("received_counter", gettext_lazy("Tiếp nhận trực tiếp"), "int"),
    ("received_postal", gettext_lazy("Tiếp nhận qua bưu chính"), "int"),
    ("online_ratio", gettext_lazy("Tỷ lệ tiếp nhận trực tuyến"), "ratio"),
    ("completed_total", gettext_lazy("Hồ sơ đã giải quyết"), "int"),
    ("completed_early", gettext_lazy("Giải quyết trước hạn"), "int"),
    ("completed_on_time", gettext_lazy("Giải quyết đúng hạn (gồm trước hạn)"), "int"),
    ("completed_late", gettext_lazy("Giải quyết quá hạn"), "int"),
    ("on_time_ratio", gettext_lazy("Tỷ lệ giải quyết đúng hạn"), "ratio"),
    ("avg_processing_working_days", gettext_lazy("Thời gian giải quyết trung bình (ngày làm việc)"), "number"),
    ("supplement_requests", gettext_lazy("Lần yêu cầu bổ sung"), "int"),
    ("rejected", gettext_lazy("Hồ sơ từ chối tiếp nhận"), "int"),
    ("refused", gettext_lazy("Hồ sơ không giải quyết"), "int"),
    ("procedures_total", gettext_lazy("Thủ tục cung cấp"), "int"),
    ("procedures_level4", gettext_lazy("Thủ tục trực tuyến toàn trình (mức độ 4)"), "int"),
    ("level4_coverage", gettext_lazy("Tỷ lệ thủ tục toàn trình"), "ratio"),
    (
        "online_procedures_without_online_dossiers",
        gettext_lazy("Thủ tục trực tuyến chưa có hồ sơ trực tuyến trong 3 năm"),
        "int",
    ),
    ("satisfaction_average", gettext_lazy("Điểm hài lòng trung bình (trên 5)"), "number"),
    ("payments_online_count", gettext_lazy("Lượt thanh toán trực tuyến"), "int"),
    ("payments_online_amount", gettext_lazy("Số tiền thanh toán trực tuyến (đồng)"), "money"),
    ("refunds_count", gettext_lazy("Lượt hoàn tiền"), "int"),
    ("refunds_amount", gettext_lazy("Số tiền hoàn (đồng)"), "money"),
)


def visible_agencies(*, user) -> list[Agency]:
    """The agencies the filter offers: every one an admin may pick, else the caller's subtrees."""
    roots = figures_visible_roots(user=user)
    agencies = Agency.objects.filter(is_active=True).only("code", "name", "gov_level", "parent_id")
    if roots is not None:
        agencies = agencies.filter(pk__in=AgencyTree.load().subtree(roots))
    return list(agencies.order_by("gov_level", "name"))


def ranking_levels(*, scope: Scope, tree: AgencyTree) -> list[str]:
    """Government levels with at least two agencies in the scope (worth ranking), top level first."""
    ids = scope.agency_ids if scope.agency_ids is not None else tree.level.keys()
    counts = {level: 0 for level in GovLevel.values}
    for pk in ids:
        counts[tree.level[pk]] = counts.get(tree.level[pk], 0) + 1
    return [level for level in GovLevel.values if counts.get(level, 0) >= 2]


def _summary(values: dict) -> Table:
    rows = [
        {"metric": key, "label": str(label), "value": values.get(key), "kind": kind}
        for key, label, kind in SUMMARY_ROWS
    ]
    columns = [Column("label", _("Chỉ tiêu"), "text"), Column("value", _("Giá trị"), BY_ROW)]
    return Table("summary", _("Các chỉ số chính"), columns, rows)


def _trend(scope: Scope, query: FiguresQuery) -> Table:
    trend = selectors.kpi_trend(scope=scope, date_from=query.date_from, date_to=query.date_to)
    columns = [
        Column("period", _("Tháng") if trend["unit"] == "month" else _("Ngày"), "text"),
        Column("received_total", _("Tiếp nhận")),
        Column("received_online", _("Trực tuyến")),
        Column("online_ratio", _("Tỷ lệ trực tuyến"), "ratio"),
        Column("completed_total", _("Đã giải quyết")),
        Column("completed_late", _("Quá hạn")),
        Column("on_time_ratio", _("Tỷ lệ đúng hạn"), "ratio"),
    ]
    chart = {
        "type": "bar",
        "labels": [point["period"] for point in trend["points"]],
        "datasets": [
            {"label": _("Tiếp nhận"), "data": [p["received_total"] for p in trend["points"]]},
            {"label": _("Trực tuyến"), "data": [p["received_online"] for p in trend["points"]]},
            {"label": _("Đã giải quyết"), "data": [p["completed_total"] for p in trend["points"]]},
        ],
    }
    return Table("trend", _("Diễn biến theo thời gian"), columns, trend["points"], chart)


def _channels(scope: Scope, query: FiguresQuery) -> Table:
    rows = selectors.channel_mix(scope=scope, date_from=query.date_from, date_to=query.date_to)
    columns = [
        Column("label", _("Kênh tiếp nhận"), "text"),
        Column("received", _("Hồ sơ")),
        Column("share", _("Tỷ lệ"), "ratio"),
    ]
    chart = {
        "type": "doughnut",
        "labels": [row["label"] for row in rows],
        "datasets": [{"label": _("Hồ sơ"), "data": [row["received"] for row in rows]}],
    }
    return Table("channels", _("Kênh tiếp nhận hồ sơ"), columns, rows, chart)


def _ranking(user, query: FiguresQuery, scope: Scope, level: str) -> Table:
    rows = selectors.agencies_ranked(scope=scope, gov_level=level, date_from=query.date_from, date_to=query.date_to)
    league = reports.service_index_ranking_report(
        user=user,
        query=FiguresQuery(date_from=query.date_from, date_to=query.date_to, agency=query.agency, gov_level=level),
    )["results"]
    index_by_agency = {row["agency"]: row["total"] for row in league}
    for row in rows:
        row["service_index"] = index_by_agency.get(row["agency"])
    columns = [
        Column("rank", _("Hạng")),
        Column("agency_name", _("Cơ quan"), "text"),
        Column("received_total", _("Tiếp nhận")),
        Column("online_ratio", _("Tỷ lệ trực tuyến"), "ratio"),
        Column("on_time_ratio", _("Tỷ lệ đúng hạn"), "ratio"),
        Column("satisfaction_average", _("Hài lòng (trên 5)"), "number"),
        Column("service_index", _("Chỉ số 766 (trên 100)"), "number"),
    ]
    shown = rows[:15]
    chart = {
        "type": "bar",
        "horizontal": True,
        "percent": True,
        "labels": [row["agency_name"] for row in shown],
        "datasets": [{"label": _("Tỷ lệ trực tuyến"), "data": [row["online_ratio"] for row in shown]}],
    }
    title = _("Xếp hạng cơ quan cấp %(level)s") % {"level": GovLevel(level).label} if level else _("Xếp hạng cơ quan")
    return Table("ranking", title, columns, rows, chart)


def _index(user, query: FiguresQuery) -> tuple[Table, dict]:
    report = reports.service_index_report(
        user=user, query=FiguresQuery(date_from=query.date_from, date_to=query.date_to, agency=query.agency)
    )
    rows = []
    for group in report["groups"]:
        rows.append({"name": group["name"], "weight": group["weight"], "points": group["points"], "level": "group"})
        for indicator in group["indicators"]:
            rows.append(
                {
                    "name": indicator["name"],
                    "weight": indicator["max_points"],
                    "points": indicator["points"],
                    "level": "indicator",
                    "measurable": indicator["measurable"],
                    "note": indicator["reason"],
                }
            )
    columns = [
        Column("name", _("Nhóm / chỉ số"), "text"),
        Column("weight", _("Điểm tối đa"), "number"),
        Column("points", _("Điểm đạt"), "number"),
    ]
    groups = report["groups"]
    chart = {
        "type": "bar",
        "labels": [group["name"] for group in groups],
        "datasets": [
            {"label": _("Điểm tối đa"), "data": [group["weight"] for group in groups]},
            {"label": _("Điểm đạt"), "data": [group["points"] for group in groups]},
        ],
    }
    return Table(
        "index", _("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"), columns, rows, chart
    ), report


def _targets(scope: Scope, year: int) -> Table:
    rows = selectors.year_progress(scope=scope, year=year)
    columns = [
        Column("label", _("Chỉ tiêu"), "text"),
        Column("target", _("Mục tiêu"), "ratio"),
        Column("actual", _("Đạt được"), "ratio"),
        Column("met_label", _("Kết quả"), "text"),
    ]
    for row in rows:
        row["met_label"] = _("Đạt") if row["met"] else _("Chưa đạt")
    note = _("Tiến độ năm %(year)s đến nay, so với mục tiêu cơ quan đặt trong năm.") % {"year": year}
    return Table("targets", _("Mục tiêu năm %(year)s") % {"year": year}, columns, rows, note=note)


def dashboard_build(*, user, query: FiguresQuery, rank_level: str = "", year: int | None = None) -> Dashboard:
    """Every table of the dashboard for this caller and query (403 through figures_scope for others)."""
    scope = figures_scope(user=user, query=query)
    tree = AgencyTree.load()
    levels = ranking_levels(scope=scope, tree=tree)
    level = rank_level if rank_level in levels else (levels[-1] if levels else "")
    kpis = reports.kpi_report(user=user, query=query)
    index_table, index_report = _index(user, query)
    board = Dashboard(
        query=query,
        scope=scope,
        rank_level=level,
        levels=levels,
        headline={**kpis, "service_index_total": index_report["total"]},
    )
    board.tables["summary"] = _summary(kpis)
    board.tables["trend"] = _trend(scope, query)
    board.tables["channels"] = _channels(scope, query)
    if level:
        board.tables["ranking"] = _ranking(user, query, scope, level)
    board.tables["index"] = index_table
    board.tables["targets"] = _targets(scope, year or query.date_to.year)
    return board
