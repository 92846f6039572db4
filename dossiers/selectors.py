"""Reads: the applicant's dossiers, agency queues with their tab counts, the public lookup."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import (
    DEADLINE_STATUSES,
    QUEUE_ROWS,
    RESULT_TAB_STATUSES,
    Attachment,
    Dossier,
    DossierEvent,
    EResult,
    QueueCount,
)
from dossiers.roles import official_agency_ids
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from portal.errors import NotFoundError
from portal.text import fold
from procedures.calendar import office_time_zone
from procedures.models import RequiredDocument

S = DossierStatus
DUE_SOON = timedelta(days=2)
REUSABLE_PER_DOCUMENT = 10
# Statuses in which an appointment can be missed: received and not yet finished (the same sorted
# list as the deadline index's condition, so that PostgreSQL can use that index).
OPEN_RECEIVED = DEADLINE_STATUSES

# Each tab is a set of statuses; a one-status tab filters by equality, so it reads the
# (agency, status, due_at, submitted_at, id) index in order.
TAB_STATUSES = {
    "new": [S.SUBMITTED],
    "processing": [S.PROCESSING],
    "supplement": [S.SUPPLEMENT_REQUESTED],
    "approval": [S.AWAITING_APPROVAL],
    "result": RESULT_TAB_STATUSES,
    "delivery": [S.IN_DELIVERY],
}
QUEUE_TABS = {
    name: Q(status=statuses[0]) if len(statuses) == 1 else Q(status__in=statuses)
    for name, statuses in TAB_STATUSES.items()
}
OVERDUE_TAB = "overdue"  # by the clock, not by status
TAB_COUNTED_STATUSES = sorted({status for statuses in TAB_STATUSES.values() for status in statuses})
# Tabs an agency sees only while they hold dossiers (most agencies never ship by post).
TABS_SHOWN_WHEN_FILLED = frozenset({"delivery"})
# What a queue row and a citizen's list row show: read with values(), never the whole row (the
# dossier's form data, the procedure's form schema).
LIST_COLUMNS = (
    "id",
    "code",
    "status",
    "procedure__code",
    "procedure__name",
    "agency__code",
    "agency__name",
    "channel",
    "delivery_method",
    "created_at",
    "submitted_at",
    "received_at",
    "due_at",
    "amount_due",
    "amount_paid",
)
QUEUE_COLUMNS = (*LIST_COLUMNS, "applicant_name", "assignee_id", "assignee__full_name", "clock_paused_at")
# The same, as model fields for pages that render rows with templates.
PAGE_FIELDS = (
    *(column for column in QUEUE_COLUMNS if column not in ("id", "assignee_id")),
    "procedure",
    "agency",
    "assignee",
    "on_behalf_note",
    "updated_at",
)


def overdue_q(now) -> Q:
    return Q(status__in=OPEN_RECEIVED, due_at__lt=now, clock_paused_at__isnull=True)


def due_soon_q(now) -> Q:
    return Q(status__in=OPEN_RECEIVED, due_at__gte=now, due_at__lt=now + DUE_SOON, clock_paused_at__isnull=True)


def _list_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("procedure", "agency", "assignee")


def list_rows(queryset: QuerySet) -> QuerySet:
    """A page of the citizen's list as dicts of the shown columns."""
    return queryset.values(*LIST_COLUMNS)


def queue_rows(queryset: QuerySet) -> QuerySet:
    """A page of an agency queue as dicts of the shown columns."""
    return queryset.values(*QUEUE_COLUMNS)


def page_objects(queryset: QuerySet) -> QuerySet:
    """A page of dossiers for a template: the shown columns and their procedure, agency and assignee."""
    return _list_related(queryset).only(*PAGE_FIELDS)


def dossiers_of_applicant(*, user) -> QuerySet[Dossier]:
    return Dossier.objects.filter(applicant=user).order_by("-created_at", "-id")


def dossiers_of_applicant_listed(*, user) -> QuerySet[Dossier]:
    """The citizen's "my dossiers" list."""
    # A draft the citizen withdrew was never sent anywhere: it leaves their list.
    return dossiers_of_applicant(user=user).exclude(status=S.WITHDRAWN, code__isnull=True)


def dossiers_filtered(queryset: QuerySet[Dossier], *, search: str = "", status: str = "") -> QuerySet[Dossier]:
    """A citizen's list narrowed to a status and to a search: part of the dossier code, or every word of
    the procedure's name or code (case and diacritics ignored)."""
    if status:
        queryset = queryset.filter(status=status)
    term = (search or "").strip()
    if term:
        words = fold(term).split()
        by_procedure = Q()
        for word in words:
            by_procedure &= Q(procedure__search_text__contains=word)
        queryset = queryset.filter(Q(code__icontains=term) | by_procedure)
    return queryset


def dossier_with_history(queryset: QuerySet) -> QuerySet[Dossier]:
    return _list_related(queryset).prefetch_related(
        Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("created_at", "id")),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(superseded_at__isnull=True).select_related("document"),
        ),
        "procedure__required_documents",
    )


def dossier_for_user(*, dossier_id, user) -> Dossier:
    """The applicant's own dossier or one of the official's agencies; otherwise 404."""
    # Officials never see a citizen's unsent draft.
    visible = Q(applicant=user) | (Q(agency_id__in=official_agency_ids(user=user)) & ~Q(status=S.DRAFT))
    dossier = dossier_with_history(Dossier.objects.filter(visible, pk=dossier_id)).first()
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    return dossier


def dossier_new_draft_for_detail(dossier: Dossier) -> Dossier:
    """A draft just created has no events nor attachments: say so, and the detail needs no query."""
    dossier._prefetched_objects_cache = {
        "events": DossierEvent.objects.none(),
        "attachments": Attachment.objects.none(),
    }
    return dossier


def _of_agencies(agency_ids: list[int]) -> Q:
    # One agency is an equality, so the index on (agency, ...) returns rows in the queue's order.
    return Q(agency_id=agency_ids[0]) if len(agency_ids) == 1 else Q(agency_id__in=agency_ids)


def agency_queue(
    *,
    user,
    agency_ids: list[int],
    tab: str = "",
    status: str = "",
    overdue: bool | None = None,
    due_soon: bool | None = None,
    assignee: str = "",
    search: str = "",
) -> QuerySet[Dossier]:
    """Dossiers of `agency_ids` (the caller's own agencies, which the caller has checked), oldest appointment
    first (not-yet-received ones by arrival). Bare rows: project a page with queue_rows or page_objects."""
    if not agency_ids:
        return Dossier.objects.none()
    now = clock.now()
    queryset = Dossier.objects.filter(_of_agencies(agency_ids), QUEUE_ROWS)
    if tab == OVERDUE_TAB:
        queryset = queryset.filter(overdue_q(now))
    elif tab in QUEUE_TABS:
        queryset = queryset.filter(QUEUE_TABS[tab])
    if status:
        statuses = sorted(set(status.split(",")))
        queryset = queryset.filter(status=statuses[0]) if len(statuses) == 1 else queryset.filter(status__in=statuses)
    if overdue is not None:
        queryset = queryset.filter(overdue_q(now)) if overdue else queryset.exclude(overdue_q(now))
    if due_soon:
        queryset = queryset.filter(due_soon_q(now))
    if assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(assignee))
    if search:
        term = search.strip()
        queryset = queryset.filter(Q(code__icontains=term) | Q(applicant_name__icontains=term))
    return queryset.order_by("due_at", "submitted_at", "id")


def agency_queue_counts(*, agency_ids: list[int]) -> dict[str, int]:
    """Every tab's count: per status from the kept counts (dossiers/queue_counts.py), overdue from its index."""
    if not agency_ids:
        return {**dict.fromkeys(TAB_STATUSES, 0), OVERDUE_TAB: 0}
    kept = (
        QueueCount.objects.filter(agency_id__in=agency_ids, status__in=TAB_COUNTED_STATUSES)
        .order_by()
        .values_list("status", "count")
    )
    # Overdue depends on the clock, so it cannot be kept: it is counted in the deadline index, which
    # holds only received, unpaused, open dossiers (index-only: the rows overdue now, nothing else).
    # Both in one statement: a queue page is a few round trips, and each one counts.
    overdue = (
        Dossier.objects.filter(_of_agencies(agency_ids), overdue_q(clock.now()))
        .annotate(tab=Value(OVERDUE_TAB))
        .values("tab")
        .annotate(n=Count("pk"))
        .values_list("tab", "n")
        .order_by()
    )
    by_status: dict[str, int] = {}
    for status, count in kept.union(overdue, all=True):
        by_status[status] = by_status.get(status, 0) + count
    counts = {name: sum(by_status.get(status, 0) for status in statuses) for name, statuses in TAB_STATUSES.items()}
    counts[OVERDUE_TAB] = by_status.get(OVERDUE_TAB, 0)
    return counts


def deadline_flags(*, status: str, clock_paused_at, due_at, now) -> tuple[bool, bool]:
    """(overdue, due soon) of a dossier with these values: received, clock running, appointment passed or near."""
    if status not in OPEN_RECEIVED or clock_paused_at is not None or not due_at:
        return False, False
    return due_at < now, now <= due_at < now + DUE_SOON


def is_overdue(dossier: Dossier, *, now=None) -> bool:
    now = now or clock.now()
    return deadline_flags(
        status=dossier.status, clock_paused_at=dossier.clock_paused_at, due_at=dossier.due_at, now=now
    )[0]


def is_due_soon(dossier: Dossier, *, now=None) -> bool:
    now = now or clock.now()
    return deadline_flags(
        status=dossier.status, clock_paused_at=dossier.clock_paused_at, due_at=dossier.due_at, now=now
    )[1]


def _lookup_match(code: str, id_last4: str) -> QuerySet[Dossier] | None:
    code, id_last4 = (code or "").strip(), (id_last4 or "").strip()
    if not code or len(id_last4) != 4 or not id_last4.isdigit():
        return None
    # Codes are written in capitals (the agency part, e.g. "H26"); what a person types may not be. The code
    # as typed is tried too, for an agency code an admin wrote in small letters (both read the unique index).
    return Dossier.objects.filter(code__in=sorted({code, code.upper()})).filter(
        Q(applicant_id_number__endswith=id_last4) | Q(applicant_phone__endswith=id_last4)
    )


LOOKUP_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ với mã và 4 số cuối đã nhập.")


def public_lookup(*, code: str, id_last4: str) -> Dossier:
    """By code plus the last 4 digits of the applicant's ID or phone; any mismatch is the same 404."""
    matching = _lookup_match(code, id_last4)
    dossier = None
    if matching is not None:
        public_events = DossierEvent.objects.filter(is_public=True).order_by("created_at", "id")
        dossier = (
            matching.select_related("procedure").prefetch_related(Prefetch("events", queryset=public_events)).first()
        )
    if dossier is None:
        raise NotFoundError(_(LOOKUP_NOT_FOUND))
    return dossier


def public_lookup_summary(*, code: str, id_last4: str) -> tuple[dict, list[DossierEvent]]:
    """The same lookup, reading only what the answer shows: the dossier's public columns and its
    public events' action, outcome, note and time."""
    matching = _lookup_match(code, id_last4)
    row = None
    if matching is not None:
        row = matching.values("id", "code", "status", "procedure__name", "received_at", "due_at").first()
    if row is None:
        raise NotFoundError(_(LOOKUP_NOT_FOUND))
    events = list(
        DossierEvent.objects.filter(dossier_id=row["id"], is_public=True)
        .only("action", "to_status", "public_note", "created_at")
        .order_by("created_at", "id")
    )
    return row, events


def reusable_attachments(*, dossier: Dossier) -> dict[str, list[Attachment]]:
    """Files the applicant sent with their other dossiers, by document key (one query, bounded)."""
    keys = [document.key for document in dossier.procedure.required_documents.all()]
    rows = (
        Attachment.objects.filter(
            dossier__applicant_id=dossier.applicant_id, document__key__in=keys, superseded_at__isnull=True
        )
        .exclude(dossier_id=dossier.pk)
        .select_related("dossier", "document")
        .order_by("-created_at", "-id")[: REUSABLE_PER_DOCUMENT * max(len(keys), 1)]
    )
    by_key: dict[str, list[Attachment]] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        # The same bytes sent many times are offered once.
        if (row.document.key, row.sha256) in seen or len(by_key.get(row.document.key, [])) >= REUSABLE_PER_DOCUMENT:
            continue
        seen.add((row.document.key, row.sha256))
        by_key.setdefault(row.document.key, []).append(row)
    return by_key


def agency_processors(*, agency_id: int) -> list:
    """The agency's processors (for the assign form), by name."""
    rows = StaffRole.objects.filter(agency_id=agency_id, role=Role.PROCESSOR).select_related("user")
    return sorted((row.user for row in rows), key=lambda user: user.full_name)


def e_result_of(dossier: Dossier) -> EResult | None:
    """The signature record of the dossier's result (None: no result yet, or one issued before signing)."""
    return EResult.objects.filter(dossier=dossier).select_related("agency").first()


# --- Digitisation (số hóa) -------------------------------------------------------------------------


def dossier_digitised_q() -> Q:
    """A dossier is digitised when it holds electronic copies of its papers: at least one current file,
    every current file digitised, and no mandatory paper of its procedure without a digitised copy.

    (A file the applicant sent online is digitised as it arrives; a scan at the counter once the
    official has checked it against the paper.) One condition for the dossier page, the selector below
    and the figures' rollups.
    """
    current = Attachment.objects.filter(dossier=OuterRef("pk"), superseded_at__isnull=True)
    digitised_copy = Attachment.objects.filter(
        dossier=OuterRef(OuterRef("pk")),
        document=OuterRef("pk"),
        superseded_at__isnull=True,
        digitised_at__isnull=False,
    )
    missing = RequiredDocument.objects.filter(procedure=OuterRef("procedure_id"), mandatory=True).filter(
        ~Exists(digitised_copy)
    )
    return Q(Exists(current)) & ~Q(Exists(current.filter(digitised_at__isnull=True))) & ~Q(Exists(missing))


@dataclass(frozen=True)
class PaperState:
    """One paper of a dossier: a paper of its procedure's list (with its current file, if any) or an other
    paper a supplement request named (`document` None), and whether it is digitised."""

    document: RequiredDocument | None
    attachment: Attachment | None

    @property
    def name(self) -> str:
        return self.document.name if self.document is not None else self.attachment.paper_name

    @property
    def mandatory(self) -> bool:
        return self.document is not None and self.document.mandatory

    @property
    def digitised(self) -> bool:
        return self.attachment is not None and self.attachment.is_digitised


def dossier_papers(*, dossier: Dossier) -> list[PaperState]:
    """Each paper the procedure lists (then any other current file), with its digitisation: two queries."""
    current = {
        a.paper_key: a
        for a in Attachment.objects.filter(dossier=dossier, superseded_at__isnull=True)
        .select_related("document", "digitised_by")
        .order_by("created_at", "id")
    }
    documents = list(RequiredDocument.objects.filter(procedure_id=dossier.procedure_id).order_by("position", "id"))
    papers = [PaperState(document, current.pop(document.key, None)) for document in documents]
    return papers + [PaperState(a.document, a) for a in current.values()]


def dossier_is_digitised(*, papers: list[PaperState]) -> bool:
    """The same rule as dossier_digitised_q, over papers already read."""
    attached = [p for p in papers if p.attachment is not None]
    mandatory_ok = all(p.digitised for p in papers if p.mandatory)
    return bool(attached) and all(p.digitised for p in attached) and mandatory_ok


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=office_time_zone())


def digitised_dossier_counts(*, agency_id: int, date_from: date, date_to: date) -> dict[str, int]:
    """{received, digitised}: the agency's dossiers received on days date_from..date_to (office time)
    and how many of them are digitised now. One query."""
    start, end = _local_day_start(date_from), _local_day_start(date_to + timedelta(days=1))
    received = Dossier.objects.filter(agency_id=agency_id, received_at__gte=start, received_at__lt=end)
    return received.aggregate(received=Count("pk"), digitised=Count("pk", filter=dossier_digitised_q()))
