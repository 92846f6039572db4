"""Whose figures, over which days: the query a caller asks (parsed, with Vietnamese errors) and the
scope they may see.

Officials (any counter role) and leaders see the agencies they hold a role at and everything under
them in the agency tree (a province leader the whole province); admins see every agency. Citizens
and trainers see no figures (403). An agency asked for is taken with its subtree.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import portal.clock as clock
from portal.accounts.constants import AGENCY_ROLES, Role
from portal.accounts.models import StaffRole
from portal.errors import PermissionDeniedError, ServiceError
from procedures.calendar import office_time_zone
from procedures.constants import GovLevel
from procedures.models import Agency, Field, Procedure

ERR_DATE = gettext_noop("Ngày không hợp lệ: cần dạng NNNN-TT-NN, ví dụ 2026-01-31.")
ERR_PERIOD = gettext_noop("Ngày bắt đầu (from) phải trước hoặc bằng ngày kết thúc (to).")
ERR_TOO_EARLY = gettext_noop("Chỉ có số liệu từ năm 2000.")
ERR_TOO_LATE = gettext_noop("Ngày không được muộn hơn 31/12 năm sau.")
ERR_AGENCY = gettext_noop("Không có cơ quan với mã này.")
ERR_GOV_LEVEL = gettext_noop("Cấp không hợp lệ: chọn province, district hoặc commune.")
ERR_GOV_LEVEL_REQUIRED = gettext_noop("Cần chọn cấp của các cơ quan được xếp hạng (gov_level).")
ERR_FIELD = gettext_noop("Không có lĩnh vực với mã này.")
ERR_PROCEDURE = gettext_noop("Không có thủ tục với mã này.")
ERR_NO_FIGURES = gettext_noop("Chỉ cán bộ, lãnh đạo của cơ quan và quản trị hệ thống được xem số liệu thống kê.")
ERR_OUTSIDE = gettext_noop("Bạn chỉ được xem số liệu của cơ quan mình và các đơn vị trực thuộc.")
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class FiguresQuery:
    date_from: date
    date_to: date
    agency: Agency | None = None
    gov_level: str = ""
    field: Field | None = None
    procedure: Procedure | None = None


@dataclass(frozen=True)
class Scope:
    """The agencies (None: every agency) and procedures (None: every procedure) figures are read for."""

    agency_ids: frozenset | None
    procedure_ids: frozenset | None = None
    # The one agency the figures are about (asked for, or the caller's only agency): its targets apply.
    focus_agency_id: int | None = None


def today() -> date:
    return timezone.localdate(clock.now(), timezone=office_time_zone())


def _date(value: str, *, field: str, default: date) -> date:
    value = (value or "").strip()
    if not value:
        return default
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ServiceError(_(ERR_DATE), field=field) from None
    if len(value) != 10:  # fromisoformat also takes 20260131 and week dates: only the documented form
        raise ServiceError(_(ERR_DATE), field=field)
    if parsed < EARLIEST:
        raise ServiceError(_(ERR_TOO_EARLY), field=field)
    if parsed.year > today().year + 1:  # nothing is counted ahead of today; a far date is a typing slip
        raise ServiceError(_(ERR_TOO_LATE), field=field)
    return parsed


def _by_code(model, value: str, *, field: str, message: str):
    value = (value or "").strip()
    if not value:
        return None
    found = model.objects.filter(code=value).first()
    if found is None:
        raise ServiceError(_(message), field=field)
    return found


def figures_query_parse(params: Mapping[str, str], *, gov_level_required: bool = False) -> FiguresQuery:
    """`from`, `to` (YYYY-MM-DD; default: this year so far), `agency`, `gov_level`, `field`, `procedure` (codes).
    A bad value is a 400 naming its parameter."""
    current = today()
    date_from = _date(params.get("from", ""), field="from", default=current.replace(month=1, day=1))
    date_to = _date(params.get("to", ""), field="to", default=current)
    if date_from > date_to:
        raise ServiceError(_(ERR_PERIOD), field="from")
    gov_level = (params.get("gov_level") or "").strip()
    if gov_level and gov_level not in GovLevel.values:
        raise ServiceError(_(ERR_GOV_LEVEL), field="gov_level")
    if gov_level_required and not gov_level:
        raise ServiceError(_(ERR_GOV_LEVEL_REQUIRED), field="gov_level")
    return FiguresQuery(
        date_from=date_from,
        date_to=date_to,
        agency=_by_code(Agency, params.get("agency", ""), field="agency", message=ERR_AGENCY),
        gov_level=gov_level,
        field=_by_code(Field, params.get("field", ""), field="field", message=ERR_FIELD),
        procedure=_by_code(Procedure, params.get("procedure", ""), field="procedure", message=ERR_PROCEDURE),
    )


# --- The agency tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyTree:
    """Every agency's parent and level, read in one query; subtrees are walked in memory."""

    parent: dict[int, int | None]
    level: dict[int, str]

    @classmethod
    def load(cls) -> "AgencyTree":
        rows = Agency.objects.values_list("pk", "parent_id", "gov_level")
        parent, level = {}, {}
        for pk, parent_id, gov_level in rows:
            parent[pk], level[pk] = parent_id, gov_level
        return cls(parent=parent, level=level)

    def subtree(self, roots: Iterable[int]) -> frozenset:
        children = defaultdict(list)
        for pk, parent_id in self.parent.items():
            children[parent_id].append(pk)
        found, stack = set(), [pk for pk in roots if pk in self.parent]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children[pk])
        return frozenset(found)

    def ancestor_at(self, pk: int, candidates: frozenset) -> int | None:
        """The nearest of `candidates` at or above `pk` (the agency a figure counts towards in a ranking)."""
        seen = set()
        while pk is not None and pk not in seen:
            if pk in candidates:
                return pk
            seen.add(pk)
            pk = self.parent.get(pk)
        return None


def agency_subtree_ids(*, agency: Agency) -> frozenset:
    return AgencyTree.load().subtree([agency.pk])


# --- Who may see what --------------------------------------------------------------------------------


def figures_visible_roots(*, user) -> frozenset | None:
    """The agencies whose subtrees the user may see; None for every agency (admins). 403 for anyone else."""
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError(_(ERR_NO_FIGURES))
    roles = list(StaffRole.objects.filter(user=user).values_list("role", "agency_id"))
    if user.is_superuser or any(role == Role.ADMIN for role, _agency in roles):
        return None
    roots = frozenset(agency_id for role, agency_id in roles if role in AGENCY_ROLES)
    if not roots:
        raise PermissionDeniedError(_(ERR_NO_FIGURES))
    return roots


def figures_scope(*, user, query: FiguresQuery, tree: AgencyTree | None = None) -> Scope:
    """The scope of a query for this caller: their agencies' subtrees by default, the asked agency's
    subtree when it lies inside them (403 otherwise), narrowed to a government level, field, procedure."""
    roots = figures_visible_roots(user=user)
    tree = tree or AgencyTree.load()
    visible = None if roots is None else tree.subtree(roots)
    agency_ids = visible
    if query.agency is not None:
        if visible is not None and query.agency.pk not in visible:
            raise PermissionDeniedError(_(ERR_OUTSIDE))
        agency_ids = tree.subtree([query.agency.pk])
    if query.gov_level:
        candidates = agency_ids if agency_ids is not None else tree.level.keys()
        agency_ids = frozenset(pk for pk in candidates if tree.level[pk] == query.gov_level)
    procedure_ids = None
    if query.field is not None:
        procedure_ids = frozenset(Procedure.objects.filter(field=query.field).values_list("pk", flat=True))
    if query.procedure is not None:
        procedure_ids = (procedure_ids if procedure_ids is not None else {query.procedure.pk}) & {query.procedure.pk}
    focus = query.agency.pk if query.agency is not None else None
    if focus is None and roots is not None and len(roots) == 1:
        (focus,) = roots
    return Scope(
        agency_ids=agency_ids,
        procedure_ids=frozenset(procedure_ids) if procedure_ids is not None else None,
        focus_agency_id=focus,
    )
