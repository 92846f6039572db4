"""The procedures a generated history uses: the agency's own catalog, with the level-4 count asked for
and synthetic procedures only when the agency has too few; a valid e-form answer per procedure; and
the fee each dossier owes, from the catalog's own fee policy.
"""

import random
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from figures.history.params import seeded
from procedures.constants import DELIVERY_METHODS_BY_LEVEL, DeliveryMethod, OnlineLevel
from procedures.fees import FeeBreakdown, fee_breakdown
from procedures.form_schema import validate_form_data
from procedures.models import Agency, DiscountPolicy, Field, Procedure, RequiredDocument

SYNTHETIC_FIELD = ("tong-hop-mo-phong", "Tổng hợp (mô phỏng)")
# An agency with no procedure at all gets this many synthetic ones (and online dossiers need one at level 3+).
MIN_PROCEDURES = 5
SYNTHETIC_DAYS = (1, 2, 3, 5, 7, 10, 15)
SYNTHETIC_CHARGES = (0, 0, 0, 10_000, 20_000, 50_000, 100_000)
SYNTHETIC_SCHEMA = {
    "type": "object",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ và tên người yêu cầu", "minLength": 2, "maxLength": 100},
        "so_dinh_danh": {"type": "string", "title": "Số định danh cá nhân", "pattern": "^\\d{12}$"},
        "so_dien_thoai": {"type": "string", "title": "Số điện thoại liên hệ", "pattern": "^0\\d{9}$"},
        "noi_dung": {"type": "string", "title": "Nội dung yêu cầu", "minLength": 5, "maxLength": 1000},
    },
    "required": ["ho_ten", "so_dinh_danh", "so_dien_thoai", "noi_dung"],
}
# Answers the applicant's own account fills in.
APPLICANT_KEYS = {"ho_ten": "full_name", "so_dinh_danh": "national_id", "so_dien_thoai": "phone"}


@dataclass
class CatalogReport:
    created: list[str] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)
    demoted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _fields_of(agency: Agency, procedures: list[Procedure]) -> list[Field]:
    """The agency's fields; for an agency with no procedure, those of the agencies around it in the tree."""
    fields = {p.field_id: p.field for p in procedures}
    if not fields:
        near = Q(agencies__parent=agency)
        if agency.parent_id:
            near |= Q(agencies=agency.parent_id) | Q(agencies__parent=agency.parent_id)
        fields = {p.field_id: p.field for p in Procedure.objects.filter(near).select_related("field")}
    if not fields:
        field_row, _ = Field.objects.get_or_create(code=SYNTHETIC_FIELD[0], defaults={"name": SYNTHETIC_FIELD[1]})
        fields = {field_row.pk: field_row}
    return sorted(fields.values(), key=lambda f: f.code)


def _synthetic_code(agency: Agency, taken: set[str]) -> str:
    n = 900_001
    while f"9.{n:06d}.{agency.code}" in taken:
        n += 1
    code = f"9.{n:06d}.{agency.code}"
    taken.add(code)
    return code


def _create_synthetic(*, agency, fields, count, level, rng, report) -> list[Procedure]:
    taken = set(Procedure.objects.filter(code__endswith=f".{agency.code}").values_list("code", flat=True))
    created = []
    for n in range(count):
        field_row = fields[n % len(fields)]
        code = _synthetic_code(agency, taken)
        procedure = Procedure.objects.create(
            code=code,
            name=f"Thủ tục mô phỏng {code.split('.')[1]} thuộc lĩnh vực {field_row.name}",
            field=field_row,
            gov_level=agency.gov_level,
            online_level=level,
            processing_days=rng.choice(SYNTHETIC_DAYS),
            charge=rng.choice(SYNTHETIC_CHARGES),
            online_discount_percent=rng.choice((0, 0, 50)),
            form_schema=SYNTHETIC_SCHEMA,
            delivery_methods=[m.value for m in DELIVERY_METHODS_BY_LEVEL[level]],
            result_name="Văn bản trả lời kết quả giải quyết",
            description="Thủ tục do lệnh generate_history tạo để mô phỏng số liệu lịch sử.",
        )
        procedure.agencies.set([agency])
        RequiredDocument.objects.create(procedure=procedure, key="to-khai", name="Tờ khai", mandatory=True)
        created.append(procedure)
        report.created.append(f"{code} (mức độ {level})")
    return created


def _set_level(procedure: Procedure, level: int) -> None:
    allowed = {m.value for m in DELIVERY_METHODS_BY_LEVEL[level]}
    methods = [m for m in procedure.delivery_methods if m in allowed]
    if level == OnlineLevel.LEVEL_4 and DeliveryMethod.ONLINE not in methods:
        methods.insert(0, DeliveryMethod.ONLINE.value)
    procedure.online_level = level
    procedure.delivery_methods = methods or [DeliveryMethod.COUNTER.value]
    procedure.save(update_fields=["online_level", "delivery_methods", "updated_at"])


def _apply_level4(procedures: list[Procedure], wanted: int, report: CatalogReport) -> None:
    """Exactly `wanted` of the agency's procedures at level 4: promote level 3 (then 2) ones in code
    order, or bring the last extra ones down to level 3."""
    at_level4 = [p for p in procedures if p.online_level == OnlineLevel.LEVEL_4]
    if len(at_level4) > wanted:
        for procedure in at_level4[wanted:]:
            _set_level(procedure, OnlineLevel.LEVEL_3)
            report.demoted.append(procedure.code)
        return
    candidates = sorted(
        (p for p in procedures if p.online_level != OnlineLevel.LEVEL_4), key=lambda p: (-p.online_level, p.code)
    )
    for procedure in candidates[: wanted - len(at_level4)]:
        _set_level(procedure, OnlineLevel.LEVEL_4)
        report.promoted.append(procedure.code)


def agency_procedures(*, agency: Agency, level4: int | None, needs_online: bool, seed: int):
    """(procedures, report): the agency's active procedures after the level-4 and minimum adjustments."""
    rng = seeded(seed, f"catalog:{agency.code}")
    report = CatalogReport()
    procedures = list(agency.procedures.filter(is_active=True).select_related("field").order_by("code"))
    fields = _fields_of(agency, procedures)
    if level4 is not None and len(procedures) < level4:
        procedures += _create_synthetic(
            agency=agency, fields=fields, count=level4 - len(procedures), level=4, rng=rng, report=report
        )
    if not procedures:
        procedures += _create_synthetic(
            agency=agency, fields=fields, count=MIN_PROCEDURES, level=3, rng=rng, report=report
        )
    if level4 is not None:
        _apply_level4(procedures, level4, report)
    if needs_online and not any(p.online_level >= OnlineLevel.LEVEL_3 for p in procedures):
        procedures += _create_synthetic(agency=agency, fields=fields, count=2, level=3, rng=rng, report=report)
    return procedures, report


# --- E-form answers ----------------------------------------------------------------------------------

_TEXT_BY_KEY = (
    ("dia_chi", "Số 12 đường Trần Hưng Đạo, phường Trần Phú"),
    ("noi_", "Số 12 đường Trần Hưng Đạo, phường Trần Phú"),
    ("ho_ten", "Nguyễn Thị Mai"),
    ("ten_doanh_nghiep", "Công ty TNHH Thương mại Mô phỏng"),
    ("ten_", "Văn bản mô phỏng"),
)


def _pattern_value(pattern: str) -> str | None:
    compiled = re.compile(pattern)
    candidates = ["0912345678", *("1" + "2" * n for n in range(0, 15)), "0" * 12, "A1", "ABC"]
    return next((c for c in candidates if compiled.search(c)), None)


def _text(name: str, prop: dict) -> str:
    text = next((value for key, value in _TEXT_BY_KEY if key in name), "Nội dung kê khai mô phỏng")
    low, high = prop.get("minLength", 0), prop.get("maxLength", 2000)
    text = text[:high]
    return text + "x" * max(low - len(text), 0)


def _answer(name: str, prop: dict, rng: random.Random):
    kind = prop["type"]
    if "enum" in prop:
        return rng.choice(prop["enum"])
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("integer", "number"):
        low = int(prop.get("minimum", 1))
        return rng.randint(low, int(prop.get("maximum", low + 100)))
    if prop.get("format") == "date":
        return (date(1970, 1, 1) + timedelta(days=rng.randrange(14_000))).isoformat()
    if "pattern" in prop:
        return _pattern_value(prop["pattern"])
    return _text(name, prop)


def form_template(procedure: Procedure, *, rng: random.Random, sample) -> dict | None:
    """Answers to the e-form's required fields (and the applicant's own), valid for the schema; None when
    a required field cannot be answered (the procedure is then left out)."""
    schema = procedure.form_schema or {}
    properties = schema.get("properties", {})
    wanted = [n for n in properties if n in schema.get("required", []) or n in APPLICANT_KEYS]
    template = {name: _answer(name, properties[name], rng) for name in wanted if name not in APPLICANT_KEYS}
    if any(value is None for value in template.values()):
        return None
    if validate_form_data(schema, fill_form(template, procedure, sample)):
        return None
    return template


def fill_form(template: dict, procedure: Procedure, applicant) -> dict:
    properties = procedure.form_schema.get("properties", {})
    own = {key: getattr(applicant, attr) for key, attr in APPLICANT_KEYS.items() if key in properties}
    return {**own, **template}


# --- Fees ------------------------------------------------------------------------------------------


class FeeTable:
    """procedures.fees.fee_breakdown for (procedure, channel, day), asked once per stretch of days over which
    the discount policies do not change (their start and end days cut the calendar into such stretches)."""

    def __init__(self):
        cuts = set()
        for valid_from, valid_to in DiscountPolicy.objects.filter(is_active=True).values_list("valid_from", "valid_to"):
            cuts.add(valid_from)
            if valid_to is not None:
                cuts.add(valid_to + timedelta(days=1))
        self.cuts = sorted(cuts)
        self.cache: dict[tuple, FeeBreakdown] = {}

    def breakdown(self, *, procedure: Procedure, channel: str, day: date) -> FeeBreakdown:
        key = (procedure.pk, channel, bisect_right(self.cuts, day))
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = fee_breakdown(procedure=procedure, channel=channel, day=day)
        return found
