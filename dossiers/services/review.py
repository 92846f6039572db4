"""Workflow actions after submission, by officials, the applicant or the system.

Each action locks the dossier row, checks the caller against the transition table, applies
its own field changes, writes the event through workflow.transition, and queues notices that
go out only after commit.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import workflow
from dossiers.constants import Actor, DossierStatus
from dossiers.deadlines import appointment_after_pause, appointment_date
from dossiers.models import Dossier
from dossiers.notices import dossier_notify_applicant
from dossiers.overdue import apply_apology
from dossiers.roles import actor_roles
from dossiers.uploads import inspect_upload
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from portal.errors import NotFoundError, ServiceError

ERR_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")
ERR_REASON_REQUIRED = gettext_noop("Cần nêu lý do.")
ERR_ASSIGNEE = gettext_noop("Người được phân công phải là chuyên viên xử lý của cơ quan.")
ERR_FILE_REQUIRED = gettext_noop("Cần tệp kết quả giải quyết.")
ERR_AMOUNT = gettext_noop("Số tiền phải là số nguyên dương, không vượt quá số còn phải nộp ({owed} đồng).")


@dataclass
class ActionInput:
    note: str = ""
    reason: str = ""
    assignee_id: int | None = None
    amount: int | None = None
    result_file: object = None
    new_due_at: object = None  # a date or an aware datetime: the apology slip's new appointment


def dossier_visible_to(*, dossier_id, user, lock: bool = False) -> Dossier:
    """The dossier if the caller is its applicant or an official of its agency; 404 otherwise."""
    queryset = Dossier.objects.select_related("procedure", "agency", "applicant")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    dossier = queryset.filter(pk=dossier_id).first()
    roles = actor_roles(user=user, dossier=dossier) if dossier else frozenset()
    # A citizen's unsent draft is theirs alone: officials neither see it nor act on it.
    if not roles or (dossier.status == DossierStatus.DRAFT and Actor.APPLICANT not in roles):
        raise NotFoundError(_(ERR_NOT_FOUND))
    return dossier


def _require_reason(data: ActionInput) -> str:
    reason = (data.reason or data.note or "").strip()
    if not reason:
        raise ServiceError(_(ERR_REASON_REQUIRED), field="reason")
    return reason


def start_clock(dossier: Dossier, *, now) -> list[str]:
    """Receipt starts the appointment clock: due after the procedure's working days."""
    dossier.received_at = now
    dossier.due_at = appointment_date(received_at=now, processing_days=dossier.procedure.processing_days)
    return ["received_at", "due_at"]


def _apply_receive(dossier, data, now):
    return start_clock(dossier, now=now), {}


def _apply_request_supplement(dossier, data, now):
    if dossier.received_at and not dossier.clock_paused_at:
        dossier.clock_paused_at = now
        return ["clock_paused_at"], {}
    return [], {}


def _apply_supplement(dossier, data, now):
    if not dossier.clock_paused_at:
        return [], {}
    dossier.due_at = appointment_after_pause(due_at=dossier.due_at, paused_at=dossier.clock_paused_at, resumed_at=now)
    dossier.clock_paused_at = None
    return ["due_at", "clock_paused_at"], {"due_at": dossier.due_at.isoformat()}


def _apply_assign(dossier, data, now):
    is_processor = StaffRole.objects.filter(
        user_id=data.assignee_id, agency_id=dossier.agency_id, role=Role.PROCESSOR
    ).exists()
    if not data.assignee_id or not is_processor:
        raise ServiceError(_(ERR_ASSIGNEE), field="assignee")
    dossier.assignee_id = data.assignee_id
    return ["assignee"], {"assignee": data.assignee_id}


def _apply_approve(dossier, data, now):
    if not data.result_file:
        raise ServiceError(_(ERR_FILE_REQUIRED), field="file")
    # The result goes to the citizen: it passes the same checks as their uploads.
    checked = inspect_upload(data.result_file, accepted_types=["pdf"])
    dossier.result_file.save(f"{dossier.code}-ket-qua.pdf", checked.as_content_file(), save=False)
    return ["result_file"], {}


def _apply_counter_payment(dossier, data, now):
    owed = dossier.amount_due - dossier.amount_paid
    if not isinstance(data.amount, int) or isinstance(data.amount, bool) or not 0 < data.amount <= owed:
        raise ServiceError(_(ERR_AMOUNT).format(owed=owed), field="amount")
    dossier.amount_paid += data.amount
    return ["amount_paid"], {"amount": data.amount}


def _apply_completion(dossier, data, now):
    dossier.completed_at = now
    return ["completed_at"], {}


FIELD_CHANGES = {
    "receive": _apply_receive,
    "request_supplement": _apply_request_supplement,
    "supplement": _apply_supplement,
    "assign": _apply_assign,
    "approve": _apply_approve,
    "record_counter_payment": _apply_counter_payment,
    "hand_over": _apply_completion,
    "deliver": _apply_completion,
    "reject": _apply_completion,
    "refuse": _apply_completion,
    "withdraw": _apply_completion,
    "issue_apology": apply_apology,
}
NEEDS_REASON = frozenset({"reject", "request_supplement", "return", "refuse", "withdraw", "issue_apology"})
# Reasons the applicant must read go on the public timeline; a return to the processor stays internal.
INTERNAL_REASONS = frozenset({"return"})


@transaction.atomic
def dossier_act(*, dossier_id: int, user, action: str, data: ActionInput | None = None) -> Dossier:
    data = data or ActionInput()
    dossier = dossier_visible_to(dossier_id=dossier_id, user=user, lock=True)
    roles = actor_roles(user=user, dossier=dossier)
    return _run(dossier, user=user, roles=roles, action=action, data=data)


@transaction.atomic
def dossier_act_as_system(*, dossier_id: int, action: str, note: str = "") -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "applicant").get(pk=dossier_id)
    )
    return _run(dossier, user=None, roles=frozenset({Actor.SYSTEM}), action=action, data=ActionInput(note=note))


def _notes(*, action: str, roles: frozenset, reason: str, note: str) -> tuple[str, str]:
    """(public, internal) notes: reasons the applicant must read and what the applicant or the
    system says are public; an official's remark, and a return to the processor, stay internal."""
    if action in INTERNAL_REASONS:
        return "", reason
    if action in NEEDS_REASON:
        return reason, ""
    if roles & {Actor.APPLICANT, Actor.SYSTEM}:
        return note, ""
    return "", note


def _run(dossier: Dossier, *, user, roles: frozenset, action: str, data: ActionInput) -> Dossier:
    workflow.find_transition(dossier, action, roles)  # 403 / 409 before any input errors
    reason = _require_reason(data) if action in NEEDS_REASON else ""
    now = timezone.now()
    changed, event_data = FIELD_CHANGES.get(action, lambda *_: ([], {}))(dossier, data, now)
    if changed:
        dossier.save(update_fields=[*changed, "updated_at"])
    public_note, internal_note = _notes(action=action, roles=roles, reason=reason, note=data.note)
    from_status = dossier.status
    event = workflow.transition(
        dossier,
        action=action,
        actor=user,
        actor_roles=roles,
        public_note=public_note,
        internal_note=internal_note,
        data=event_data,
    )
    if dossier.status != from_status or action in ("supplement", "issue_apology"):
        dossier_notify_applicant(dossier=dossier, event=event)
    if action in ("reject", "refuse", "withdraw"):
        from payments.services import refunds_start_for_dossier  # payments imports this module

        refunds_start_for_dossier(dossier=dossier)
    return dossier
