"""Reads: the applicant's dossiers, agency queues with their tab counts, the public lookup."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import rules
from dossiers.constants import DossierStatus
from dossiers.models import Attachment, Dossier, DossierEvent
from dossiers.roles import official_agency_ids
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from portal.errors import NotFoundError

S = DossierStatus
DUE_SOON = timedelta(days=2)
REUSABLE_PER_DOCUMENT = 10
# Statuses in which an appointment can be missed: received and not yet finished.
OPEN_RECEIVED = sorted(rules.RECEIVED_OPEN_STATUSES)

QUEUE_TABS = {
    "new": Q(status=S.SUBMITTED),
    "processing": Q(status=S.PROCESSING),
    "supplement": Q(status=S.SUPPLEMENT_REQUESTED),
    "approval": Q(status=S.AWAITING_APPROVAL),
    "result": Q(status__in=[S.RESULT_READY, S.IN_DELIVERY]),
    "delivery": Q(status=S.IN_DELIVERY),
}
# Tabs an agency sees only while they hold dossiers (most agencies never ship by post).
TABS_SHOWN_WHEN_FILLED = frozenset({"delivery"})


def overdue_q(now) -> Q:
    return Q(status__in=OPEN_RECEIVED, due_at__lt=now, clock_paused_at__isnull=True)


def due_soon_q(now) -> Q:
    return Q(status__in=OPEN_RECEIVED, due_at__gte=now, due_at__lt=now + DUE_SOON, clock_paused_at__isnull=True)


def _list_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("procedure", "agency", "assignee")


def dossiers_of_applicant(*, user) -> QuerySet[Dossier]:
    return _list_related(Dossier.objects.filter(applicant=user)).order_by("-created_at", "-id")


def dossiers_of_applicant_listed(*, user) -> QuerySet[Dossier]:
    """The citizen's "my dossiers" list."""
    # A draft the citizen withdrew was never sent anywhere: it leaves their list.
    return dossiers_of_applicant(user=user).exclude(status=S.WITHDRAWN, code__isnull=True)


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


def agency_queue(
    *,
    user,
    tab: str = "",
    status: str = "",
    overdue: bool | None = None,
    due_soon: bool | None = None,
    assignee: str = "",
    search: str = "",
    agency_id: int | None = None,
) -> QuerySet[Dossier]:
    """The caller's agencies' dossiers (or one of them), oldest appointment first (not-yet-received ones by arrival)."""
    now = timezone.now()
    queryset = Dossier.objects.filter(agency_id__in=official_agency_ids(user=user)).exclude(status=S.DRAFT)
    if agency_id is not None:
        queryset = queryset.filter(agency_id=agency_id)
    if tab == "overdue":
        queryset = queryset.filter(overdue_q(now))
    elif tab in QUEUE_TABS:
        queryset = queryset.filter(QUEUE_TABS[tab])
    if status:
        queryset = queryset.filter(status__in=status.split(","))
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
    return _list_related(queryset).order_by("due_at", "submitted_at", "id")


def agency_queue_counts(*, user, agency_id: int | None = None) -> dict[str, int]:
    """All tab counts in one aggregate query (of one of the caller's agencies when agency_id is given)."""
    now = timezone.now()
    tabs = {name: Count("id", filter=condition) for name, condition in QUEUE_TABS.items()}
    tabs["overdue"] = Count("id", filter=overdue_q(now))
    agencies = [a for a in official_agency_ids(user=user) if agency_id is None or a == agency_id]
    return Dossier.objects.filter(agency_id__in=agencies).aggregate(**tabs)


def is_overdue(dossier: Dossier, *, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        dossier.status in OPEN_RECEIVED and dossier.clock_paused_at is None and dossier.due_at and dossier.due_at < now
    )


def is_due_soon(dossier: Dossier, *, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        dossier.status in OPEN_RECEIVED
        and dossier.clock_paused_at is None
        and dossier.due_at
        and now <= dossier.due_at < now + DUE_SOON
    )


def public_lookup(*, code: str, id_last4: str) -> Dossier:
    """By code plus the last 4 digits of the applicant's ID or phone; any mismatch is the same 404."""
    code, id_last4 = (code or "").strip(), (id_last4 or "").strip()
    dossier = None
    if code and len(id_last4) == 4 and id_last4.isdigit():
        dossier = (
            Dossier.objects.select_related("procedure")
            .prefetch_related(
                Prefetch("events", queryset=DossierEvent.objects.filter(is_public=True).order_by("created_at", "id"))
            )
            .filter(code=code)
            .filter(Q(applicant_id_number__endswith=id_last4) | Q(applicant_phone__endswith=id_last4))
            .first()
        )
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ với mã và 4 số cuối đã nhập."))
    return dossier


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
