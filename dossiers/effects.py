"""What a move does to the dossier's own fields, named so the transition table can point at it.

A row's effect and a status hook share one shape: `effect(dossier, data, now) -> (fields, event_data)`.
They change the locked dossier in memory and say which fields to save and what the event records;
the workflow saves once and writes the event. An effect that refuses its input raises a
ServiceError (400) or ConflictError (409), and nothing is written.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import rules
from dossiers.deadlines import appointment_after_pause, appointment_date
from dossiers.models import Dossier
from dossiers.services.document_store import documents_keep
from dossiers.services.eresults import eresult_event_data, eresult_issue
from dossiers.uploads import inspect_upload
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from portal.errors import ServiceError

ERR_ASSIGNEE = gettext_noop("Người được phân công phải là chuyên viên xử lý của cơ quan.")
ERR_FILE_REQUIRED = gettext_noop("Cần tệp kết quả giải quyết.")
ERR_AMOUNT = gettext_noop("Số tiền phải là số nguyên dương, không vượt quá số còn phải nộp ({owed} đồng).")

NO_CHANGE: tuple[list[str], dict] = ([], {})


@dataclass
class ActionInput:
    """What the caller brings to an action; the row's `requires` says which of these it needs."""

    note: str = ""
    reason: str = ""
    assignee_id: int | None = None
    amount: int | None = None
    result_file: object = None
    new_due_at: object = None  # a date or an aware datetime: the apology slip's new appointment
    papers: tuple = ()  # a supplement request: keys of the procedure's papers asked for
    other_papers: tuple = ()  # a supplement request: names of other papers asked for


# --- Row effects ---------------------------------------------------------------------------------


def assign_processor(dossier: Dossier, data: ActionInput, now):
    is_processor = StaffRole.objects.filter(
        user_id=data.assignee_id, agency_id=dossier.agency_id, role=Role.PROCESSOR
    ).exists()
    if not data.assignee_id or not is_processor:
        raise ServiceError(_(ERR_ASSIGNEE), field="assignee")
    dossier.assignee_id = data.assignee_id
    return ["assignee"], {"assignee": data.assignee_id}


def store_result(dossier: Dossier, data: ActionInput, now):
    if not data.result_file:
        raise ServiceError(_(ERR_FILE_REQUIRED), field="file")
    # The result goes to the citizen: it passes the same checks as their uploads, then is signed.
    checked = inspect_upload(data.result_file, accepted_types=["pdf"])
    e_result = eresult_issue(dossier=dossier, checked=checked, now=now)
    return ["result_file"], eresult_event_data(e_result)


def record_payment(dossier: Dossier, data: ActionInput, now):
    """The one writer of Dossier.amount_paid, for money taken at the counter or online."""
    owed = rules.fee_outstanding(dossier)
    amount = data.amount
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= owed:
        raise ServiceError(_(ERR_AMOUNT).format(owed=owed), field="amount")
    dossier.amount_paid += amount
    return ["amount_paid"], {"amount": amount}


# --- Status hooks --------------------------------------------------------------------------------


def start_clock(dossier: Dossier, data, now):
    """Receipt starts the appointment clock: due after the procedure's working days."""
    dossier.received_at = now
    dossier.due_at = appointment_date(received_at=now, processing_days=dossier.procedure.processing_days)
    return ["received_at", "due_at"], {}


def pause_clock(dossier: Dossier, data, now):
    """A supplement request stops the clock of a received dossier until the applicant answers."""
    if dossier.received_at and not dossier.clock_paused_at:
        dossier.clock_paused_at = now
        return ["clock_paused_at"], {}
    return NO_CHANGE


def resume_clock(dossier: Dossier, data, now):
    """The applicant's answer gives back the working days the clock stood still."""
    if not dossier.clock_paused_at:
        return NO_CHANGE
    dossier.due_at = appointment_after_pause(due_at=dossier.due_at, paused_at=dossier.clock_paused_at, resumed_at=now)
    dossier.clock_paused_at = None
    return ["due_at", "clock_paused_at"], {"due_at": dossier.due_at.isoformat()}


def stamp_closing_time(dossier: Dossier, data, now):
    dossier.completed_at = now
    return ["completed_at"], {}


def keep_documents(dossier: Dossier, data, now):
    """A completed dossier leaves its e-result and accepted papers in the applicant's document store."""
    documents_keep(dossier=dossier, now=now)
    return NO_CHANGE
