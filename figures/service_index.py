"""The service index of Decision 766/QĐ-TTg (23 June 2022): every formula, its source, and how it is scored.

Sources
  [766]   Decision 766/QĐ-TTg approving the index of direction, administration and assessment of the
          quality of service to citizens and businesses in administrative procedures and public
          services in real time (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân,
          doanh nghiệp ...), and its appendix of sub-indicators.
  [NP]    The national public-service portal's evaluation as the design brief records it: six groups of
          100 points (publicity and transparency 18, progress and results 20, online service 12,
          online payment 10, digitisation 22, satisfaction 18); a dossier that needed more than one
          supplement request counts as late; the applicant's supplement time is not counted; online
          submission share earns full marks from 50%, procedures offered online from 80%, digitised
          dossiers from 80%; satisfaction ≈ 100% − late% − dissatisfied%.
  [61]    Decree 61/2018/NĐ-CP (one-stop counters), Art. 19: the apology slip for a missed appointment.
  [63]    Decree 63/2010/NĐ-CP (control of administrative procedures), Art. 8: the parts of a procedure
          that are published.
  [PORTAL] This portal's reading where the sources above do not fix a number: how a group's points are
          split among its sub-indicators, and the scoring of the average processing time. Check them
          against the appendix of [766] before relying on a ranking.

What each measured figure counts (the day a dossier counts on is defined once, in figures.rollups):
  completed   dossiers completed in the period; late as figures.rollups says (after the appointment,
              which already excludes the applicant's supplement time, or with an apology slip [61]);
              "late (766)" adds those that needed more than one supplement request [NP].

Scoring
  A sub-indicator's value is a share (0..1) unless it says otherwise. It earns max_points × value, or
  max_points × min(value / full_marks_at, 1) where a threshold gives full marks from a share below 100%.
  A sub-indicator is `measurable: false` when the portal keeps no data for it (with the reason); one
  that is measurable but has nothing to count in the period (no dossier completed, say) has value null.
  Neither earns or loses points: a group's points are its weight × (points earned / points available)
  over the sub-indicators that have a value, and the total is 100 × (the groups' points / the weights
  of the groups that have points). So the total is what the measured part scores, scaled to 100; it is
  not comparable with the national portal's own figure, which also scores what is not measured here.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.store import document_reuse_counts
from figures.facts import Window
from figures.scope import AgencyTree, Scope
from figures.selectors import Sums, figure_sums, procedures_offered, published_fully_q, totals_of, zeros
from procedures.constants import IntakeChannel, OnlineLevel
from procedures.models import Agency, Procedure

GROUP_WEIGHTS = {"publicity": 18, "progress": 20, "online_service": 12, "online_payment": 10, "digitisation": 22,
                 "satisfaction": 18}  # fmt: skip


@dataclass(frozen=True)
class Inputs:
    """What the index is computed from: the period's summed figures and the catalog of the scope."""

    figures: Sums
    received_online: int
    procedures: list[dict]  # each: online_level, with_fee, published_fully
    used_online: int  # procedures offered online that received an online dossier in the period
    # Dossiers received in the period, and those of them that took a paper from the applicant's document
    # store (dossiers.store.document_reuse_counts, read from the dossiers: not a rollup figure).
    reuse_received: int = 0
    reuse_reusing: int = 0

    def count(self, condition: Callable[[dict], bool]) -> int:
        return sum(1 for procedure in self.procedures if condition(procedure))

    @property
    def completed(self) -> int:
        f = self.figures
        return f["completed_early"] + f["completed_due_day"] + f["completed_late"]

    @property
    def late_766(self) -> int:
        return self.figures["completed_late"] + self.figures["completed_in_time_multi_supplement"]


def share(part: int, whole: int) -> float | None:
    return min(part / whole, 1.0) if whole else None


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    max_points: float
    source: str
    formula: str
    value: Callable[[Inputs], float | None] | None = None  # None: the portal cannot measure it
    reason: str = ""  # why it cannot be measured
    full_marks_at: float | None = None  # a share from which it earns full marks
    # How the value earns: by default the share itself (up to full_marks_at); processing time says otherwise.
    earn: Callable[[float], float] | None = None

    def earned(self, value: float) -> float:
        if self.earn is not None:
            return self.earn(value)
        if self.full_marks_at:
            return min(value / self.full_marks_at, 1.0)
        return value


def _processing_time(inputs: Inputs) -> float | None:
    """The average working days taken over the average allowed (1.0: all the allowed time)."""
    allowed = inputs.figures["allowed_working_days"]
    return round(inputs.figures["processing_working_days"] / allowed, 6) if inputs.completed and allowed else None


def _within_allowed(ratio_taken: float) -> float:
    # [PORTAL] Full marks within the allowed time; past it, points shrink as allowed / taken.
    return 1.0 if ratio_taken <= 1 else 1 / ratio_taken


def _satisfaction(inputs: Inputs) -> float | None:
    if not inputs.completed:
        return None
    satisfied = inputs.completed - inputs.late_766 - inputs.figures["ratings_dissatisfied"]
    return max(satisfied, 0) / inputs.completed


def _online(level: int) -> bool:
    return level >= OnlineLevel.LEVEL_3


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    indicators: tuple[Indicator, ...]

    @property
    def weight(self) -> int:
        return GROUP_WEIGHTS[self.key]


NO_PUBLICATION_DATES = gettext_noop(
    "Danh mục thủ tục không lưu ngày ban hành quyết định công bố, nên không tính được thời hạn công khai."
)
NO_NATIONAL_SYNC = gettext_noop("Cổng mô phỏng không đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia.")
NO_COMPLAINTS = gettext_noop("Cổng chưa tiếp nhận phản ánh, kiến nghị của người dân.")

GROUPS: tuple[Group, ...] = (
    Group(
        "publicity",
        gettext_noop("Công khai, minh bạch"),
        (
            Indicator(
                "published_fully",
                gettext_noop("Thủ tục được công khai đầy đủ"),
                6,
                gettext_noop("[766] nhóm I; [63] Điều 8; [PORTAL] 6 điểm"),
                gettext_noop(
                    "thủ tục có đủ trình tự, thành phần hồ sơ, thời hạn, kết quả, căn cứ pháp lý / số thủ tục"
                ),
                value=lambda i: share(i.count(lambda p: p["published_fully"]), len(i.procedures)),
            ),
            Indicator(
                "published_on_time",
                gettext_noop("Thủ tục được cập nhật, công khai đúng hạn"),
                4,
                gettext_noop("[766] nhóm I (4 điểm)"),
                gettext_noop("thủ tục công khai đúng hạn / thủ tục phải công khai"),
                reason=NO_PUBLICATION_DATES,
            ),
            Indicator(
                "national_sync",
                gettext_noop("Hồ sơ được đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia"),
                8,
                gettext_noop("[766] nhóm I; [PORTAL] 8 điểm"),
                gettext_noop("hồ sơ đồng bộ đầy đủ, kịp thời / hồ sơ tiếp nhận"),
                reason=NO_NATIONAL_SYNC,
            ),
        ),
    ),
    Group(
        "progress",
        gettext_noop("Tiến độ, kết quả giải quyết"),
        (
            Indicator(
                "on_time",
                gettext_noop("Hồ sơ giải quyết trước hạn, đúng hạn"),
                16,
                gettext_noop(
                    "[766] nhóm II; [NP] bổ sung quá 1 lần tính quá hạn, không tính thời gian bổ sung; [PORTAL] 16 điểm"
                ),
                gettext_noop(
                    "(hồ sơ hoàn thành − hồ sơ quá hạn − hồ sơ đúng hạn nhưng bổ sung quá 1 lần) / hồ sơ hoàn thành"
                ),
                value=lambda i: share(i.completed - i.late_766, i.completed),
            ),
            Indicator(
                "processing_time",
                gettext_noop("Thời gian giải quyết trung bình so với thời hạn"),
                4,
                gettext_noop(
                    "[766] nhóm II; [PORTAL] 4 điểm: đủ điểm khi trong thời hạn, quá thì nhân thời hạn / thời gian"
                ),
                gettext_noop(
                    "số ngày làm việc giải quyết trung bình (trừ thời gian bổ sung) / thời hạn trung bình theo quy định"
                ),
                value=_processing_time,
                earn=_within_allowed,
            ),
        ),
    ),
    Group(
        "online_service",
        gettext_noop("Cung cấp dịch vụ công trực tuyến"),
        (
            Indicator(
                "procedures_online",
                gettext_noop("Thủ tục cung cấp dịch vụ công trực tuyến"),
                4,
                gettext_noop("[766] nhóm III; [NP] đủ điểm từ 80%; [PORTAL] 4 điểm"),
                gettext_noop("thủ tục mức độ 3, 4 / thủ tục trong phạm vi"),
                value=lambda i: share(i.count(lambda p: _online(p["online_level"])), len(i.procedures)),
                full_marks_at=0.8,
            ),
            Indicator(
                "online_procedures_used",
                gettext_noop("Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến"),
                4,
                gettext_noop("[766] nhóm III; [PORTAL] 4 điểm"),
                gettext_noop("thủ tục mức độ 3, 4 có hồ sơ tiếp nhận trực tuyến trong kỳ / thủ tục mức độ 3, 4"),
                value=lambda i: share(i.used_online, i.count(lambda p: _online(p["online_level"]))),
            ),
            Indicator(
                "online_submission",
                gettext_noop("Hồ sơ nộp trực tuyến"),
                4,
                gettext_noop("[766] nhóm III; [NP] đủ điểm từ 50%; [PORTAL] 4 điểm"),
                gettext_noop("hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận"),
                value=lambda i: share(i.received_online, i.figures["received"]),
                full_marks_at=0.5,
            ),
        ),
    ),
    Group(
        "online_payment",
        gettext_noop("Thanh toán trực tuyến"),
        (
            Indicator(
                "procedures_payable_online",
                gettext_noop("Thủ tục có phí, lệ phí cho phép thanh toán trực tuyến"),
                5,
                gettext_noop("[766]; [PORTAL] 5 điểm"),
                gettext_noop("thủ tục mức độ 4 có phí, lệ phí / thủ tục có phí, lệ phí"),
                value=lambda i: share(
                    i.count(lambda p: p["with_fee"] and p["online_level"] == OnlineLevel.LEVEL_4),
                    i.count(lambda p: p["with_fee"]),
                ),
            ),
            Indicator(
                "dossiers_paid_online",
                gettext_noop("Hồ sơ thanh toán trực tuyến"),
                5,
                gettext_noop("[766]; [PORTAL] 5 điểm"),
                gettext_noop(
                    "giao dịch thanh toán trực tuyến thành công / hồ sơ có phí tiếp nhận trong kỳ (tối đa 100%)"
                ),
                value=lambda i: share(i.figures["payments_online"], i.figures["received_with_fee"]),
            ),
        ),
    ),
    Group(
        "digitisation",
        gettext_noop("Số hóa hồ sơ"),
        (
            Indicator(
                "e_results",
                gettext_noop("Hồ sơ có kết quả điện tử"),
                8,
                gettext_noop("[766] nhóm số hóa; [PORTAL] 8 điểm"),
                gettext_noop("hồ sơ hoàn thành có tệp kết quả điện tử / hồ sơ hoàn thành"),
                value=lambda i: share(i.figures["completed_with_e_result"], i.completed),
            ),
            Indicator(
                "digitised_dossiers",
                gettext_noop("Hồ sơ được số hóa thành phần"),
                8,
                gettext_noop(
                    "[766] nhóm số hóa; [NP] đủ điểm từ 80%; [PORTAL] 8 điểm; tệp nộp trực tuyến tính là đã số hóa, "
                    "bản quét tại quầy khi cán bộ xác nhận đã đối chiếu bản giấy"
                ),
                gettext_noop("hồ sơ tiếp nhận có mọi giấy tờ bắt buộc và mọi tệp đính kèm đã số hóa / hồ sơ tiếp nhận"),
                value=lambda i: share(i.figures["received_digitised"], i.figures["received"]),
                full_marks_at=0.8,
            ),
            Indicator(
                "digitised_data_reused",
                gettext_noop("Khai thác, sử dụng lại thông tin, dữ liệu số hóa"),
                6,
                gettext_noop("[766] nhóm số hóa; [PORTAL] 6 điểm"),
                gettext_noop(
                    "hồ sơ tiếp nhận có giấy tờ lấy từ kho dữ liệu điện tử của người nộp (không tải lên lại) / "
                    "hồ sơ tiếp nhận"
                ),
                value=lambda i: share(i.reuse_reusing, i.reuse_received),
            ),
        ),
    ),
    Group(
        "satisfaction",
        gettext_noop("Mức độ hài lòng"),
        (
            Indicator(
                "satisfaction_in_processing",
                gettext_noop("Hài lòng trong tiếp nhận, giải quyết thủ tục"),
                6,
                gettext_noop("[766] nhóm Mức độ hài lòng (6/18 điểm); [NP] ≈ 100% − % quá hạn − % không hài lòng"),
                gettext_noop(
                    "(hồ sơ hoàn thành − hồ sơ quá hạn (766) − đánh giá không hài lòng (1–2 sao)) / hồ sơ hoàn thành"
                ),
                value=_satisfaction,
            ),
            Indicator(
                "complaints_on_time",
                gettext_noop("Phản ánh, kiến nghị được xử lý đúng hạn"),
                6,
                gettext_noop("[766] nhóm Mức độ hài lòng (6/18 điểm)"),
                gettext_noop("phản ánh, kiến nghị xử lý đúng, trước hạn / phản ánh, kiến nghị thuộc thẩm quyền"),
                reason=NO_COMPLAINTS,
            ),
            Indicator(
                "complaints_satisfaction",
                gettext_noop("Hài lòng trong xử lý phản ánh, kiến nghị"),
                6,
                gettext_noop("[766] nhóm Mức độ hài lòng (6/18 điểm)"),
                gettext_noop("(phản ánh, kiến nghị − số không hài lòng hoặc quá hạn) / phản ánh, kiến nghị"),
                reason=NO_COMPLAINTS,
            ),
        ),
    ),
)
assert sum(group.weight for group in GROUPS) == 100  # the decision's total

SOURCES = {
    "766": gettext_noop(
        "Quyết định 766/QĐ-TTg ngày 23/6/2022 phê duyệt Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ "
        "người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường "
        "điện tử"
    ),
    "NP": gettext_noop("Cách Cổng Dịch vụ công quốc gia chấm Bộ chỉ số: sáu nhóm, 100 điểm"),
    "61": gettext_noop("Nghị định 61/2018/NĐ-CP, Điều 19: phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "63": gettext_noop("Nghị định 63/2010/NĐ-CP, Điều 8: nội dung thủ tục hành chính được công bố, công khai"),
    "PORTAL": gettext_noop(
        "Cách tính của cổng này khi văn bản không quy định con số: chia điểm trong nhóm, chấm thời gian giải quyết"
    ),
}
NOTHING_TO_MEASURE = gettext_noop("Chưa có hồ sơ hoặc thủ tục nào để tính trong kỳ.")


def index_score(inputs: Inputs) -> dict:
    """{total, groups: [{key, name, weight, points, measurable, indicators: [...]}]} as the module says."""
    groups, group_points, measured_weight = [], 0.0, 0
    for group in GROUPS:
        indicators, earned, available = [], 0.0, 0.0
        for indicator in group.indicators:
            value = indicator.value(inputs) if indicator.value is not None else None
            points = None
            if value is not None:
                exact = indicator.max_points * indicator.earned(value)
                earned, available = earned + exact, available + indicator.max_points
                points = round(exact, 2)
            reason = indicator.reason if indicator.value is None else (NOTHING_TO_MEASURE if value is None else "")
            indicators.append(
                {
                    "key": indicator.key,
                    "name": _(indicator.name),
                    "measurable": indicator.value is not None,
                    "value": None if value is None else round(value, 6),
                    "full_marks_at": indicator.full_marks_at,
                    "max_points": indicator.max_points,
                    "points": points,
                    "formula": _(indicator.formula),
                    "source": _(indicator.source),
                    "reason": _(reason) if reason else "",
                }
            )
        points = None
        if available:
            exact = group.weight * earned / available
            group_points, measured_weight = group_points + exact, measured_weight + group.weight
            points = round(exact, 2)
        groups.append(
            {
                "key": group.key,
                "name": _(group.name),
                "weight": group.weight,
                "points": points,
                "measurable": any(i["measurable"] for i in indicators),
                "indicators": indicators,
            }
        )
    total = round(100 * group_points / measured_weight, 2) if measured_weight else None
    return {
        "total": total,
        "measured_weight": measured_weight,
        "groups": groups,
        "sources": {key: _(text) for key, text in SOURCES.items()},
    }


def _procedure_facts(procedures) -> dict[int, dict]:
    """{pk: {online_level, with_fee, published_fully}} of a queryset of procedures, in one query."""
    rows = procedures.annotate(published=ExpressionWrapper(published_fully_q(), output_field=BooleanField()))
    return {
        pk: {"online_level": level, "with_fee": fee + charge > 0, "published_fully": bool(published)}
        for pk, level, fee, charge, published in rows.values_list("pk", "online_level", "fee", "charge", "published")
    }


def _inputs(sums: dict[tuple, Sums], procedures: dict[int, dict], reuse: dict[str, int] | None = None) -> Inputs:
    """From figure sums keyed (procedure_id, channel), the procedures of the scope and the reuse counts."""
    online_used = {pid for (pid, channel), f in sums.items() if channel == IntakeChannel.ONLINE and f["received"]}
    reuse = reuse or {}
    return Inputs(
        figures=totals_of(sums.values()),
        received_online=sum(f["received"] for (_pid, channel), f in sums.items() if channel == IntakeChannel.ONLINE),
        procedures=list(procedures.values()),
        used_online=sum(1 for pk, p in procedures.items() if _online(p["online_level"]) and pk in online_used),
        reuse_received=reuse.get("received", 0),
        reuse_reusing=reuse.get("reusing", 0),
    )


def _reuse_by_agency(*, scope: Scope, date_from: date, date_to: date) -> dict[int, dict[str, int]]:
    window = Window.of_days(date_from, date_to)
    return document_reuse_counts(
        start=window.start, end=window.end, agency_ids=scope.agency_ids, procedure_ids=scope.procedure_ids
    )


def _reuse_total(per_agency) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for counts in per_agency:
        for name, value in counts.items():
            totals[name] += value
    return totals


def service_index(*, scope: Scope, date_from: date, date_to: date) -> dict:
    """The index of one scope and period (a handful of queries)."""
    sums = figure_sums(scope=scope, date_from=date_from, date_to=date_to, by=("procedure_id", "channel"))
    reuse = _reuse_total(_reuse_by_agency(scope=scope, date_from=date_from, date_to=date_to).values())
    return index_score(_inputs(sums, _procedure_facts(procedures_offered(scope=scope)), reuse))


def service_index_ranking(
    *, scope: Scope, gov_level: str, date_from: date, date_to: date, tree: AgencyTree | None = None
) -> list[dict]:
    """The league table: agencies of one government level within the scope, each scored on its whole
    subtree, best first (those with nothing measured last). A fixed number of queries."""
    tree = tree or AgencyTree.load()
    candidates = frozenset(
        pk
        for pk, level in tree.level.items()
        if level == gov_level and (scope.agency_ids is None or pk in scope.agency_ids)
    )
    if not candidates:
        return []
    members = tree.subtree(candidates)
    member_scope = Scope(agency_ids=members, procedure_ids=scope.procedure_ids)
    sums = figure_sums(
        scope=member_scope, date_from=date_from, date_to=date_to, by=("agency_id", "procedure_id", "channel")
    )
    per_agency: dict[int, dict[tuple, Sums]] = defaultdict(lambda: defaultdict(zeros))
    for (agency_id, procedure_id, channel), figures in sums.items():
        target = per_agency[tree.ancestor_at(agency_id, candidates)][(procedure_id, channel)]
        for name, value in figures.items():
            target[name] += value
    reuse: dict[int, list] = defaultdict(list)
    for agency_id, counts in _reuse_by_agency(scope=member_scope, date_from=date_from, date_to=date_to).items():
        reuse[tree.ancestor_at(agency_id, candidates)].append(counts)
    procedures = _procedure_facts(procedures_offered(scope=member_scope))
    offered: dict[int, set] = defaultdict(set)
    links = Procedure.agencies.through.objects.filter(agency_id__in=members).values_list("agency_id", "procedure_id")
    for agency_id, procedure_id in links:
        if procedure_id in procedures:
            offered[tree.ancestor_at(agency_id, candidates)].add(procedure_id)
    rows = []
    for agency in Agency.objects.filter(pk__in=candidates).only("code", "name"):
        own = {pk: procedures[pk] for pk in offered[agency.pk]}
        score = index_score(_inputs(per_agency[agency.pk], own, _reuse_total(reuse[agency.pk])))
        groups = {group["key"]: group["points"] for group in score["groups"]}
        rows.append({"agency": agency.code, "agency_name": agency.name, "total": score["total"], "groups": groups})
    rows.sort(key=lambda row: (row["total"] is None, -(row["total"] or 0), row["agency"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows
