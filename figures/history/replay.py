"""One generated dossier moved through the real workflow table, in memory.

Each move is found in dossiers.workflow.TRANSITIONS with the row's own guard, its notes come from
workflow.event_notes, and the row's effect and the ON_ENTERING hooks it triggers are applied by a
mirror of the effect function named in the table (the real ones read and write the database one
dossier at a time). A table row, hook or status receiver without a mirror stops the generator rather
than writing something the workflow would not have written. Payments move through the payment state
machine (payments.constants.PAYMENT_TRANSITIONS) with the fields payments.services.core sets.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from dossiers import effects, rules, status_receivers, supplements, workflow
from dossiers.constants import DossierStatus
from dossiers.effects import ActionInput
from figures.receivers import rollups_dossier_entered
from payments.constants import PAYMENT_TRANSITIONS, PaymentStatus
from payments.services.refunds import refunds_start_for_dossier

S = DossierStatus
P = PaymentStatus


class WorkflowMismatch(RuntimeError):
    """The workflow asks for something the generator does not reproduce: teach the generator first."""


@dataclass
class PaymentEventRow:
    source: str
    from_status: str
    to_status: str
    created_at: datetime
    event_key: str | None = None
    data: dict = field(default_factory=dict)
    applied: bool = True


@dataclass
class PaymentRow:
    """A payment as payments.services writes it; `move` is payment_move without the database."""

    public_id: object
    payer_id: int
    amount: int
    breakdown: dict
    provider: str
    expires_at: datetime
    created_at: datetime
    status: str = P.PENDING
    method: str = ""
    provider_ref: str = ""
    pay_url: str = ""
    refund_ref: str = ""
    idempotency_key: str = ""
    receipt_number: str | None = None
    paid_at: datetime | None = None
    refund_requested_at: datetime | None = None
    refund_asked_at: datetime | None = None
    refunded_at: datetime | None = None
    refund_attempts: int = 0
    last_error: str = ""
    updated_at: datetime | None = None
    events: list = field(default_factory=list)

    def move(self, to: str, *, at: datetime, source: str, event_key=None, data=None, receipt: str | None = None):
        if to not in PAYMENT_TRANSITIONS[self.status]:
            raise WorkflowMismatch(f"payment {self.status} → {to} is not in PAYMENT_TRANSITIONS")
        self.events.append(PaymentEventRow(source, self.status, to, at, event_key, data or {}))
        self.status, self.updated_at = to, at
        if to == P.SUCCEEDED:  # services.core._on_succeeded
            self.paid_at, self.receipt_number = at, receipt
        elif to == P.REFUND_PENDING:  # _on_refund_pending
            self.refund_requested_at, self.refund_ref = at, ""
        elif to == P.REFUNDED:  # _on_refunded
            self.refunded_at, self.last_error = at, ""


@dataclass
class AttachmentRow:
    """A paper the applicant attached (dossiers.services.attachments); `data` is its audit event's, which
    gets the attachment's id when ids are taken."""

    document_id: int
    document_key: str
    uploaded_by_id: int
    created_at: datetime
    data: dict
    superseded_at: datetime | None = None


class DossierState:
    """The dossier's columns as the workflow leaves them, plus what was written along the way."""

    __slots__ = (
        "amount_due",
        "amount_paid",
        "applicant",
        "assignee_id",
        "attachments",
        "channel",
        "clock_paused_at",
        "code",
        "completed_at",
        "created_at",
        "delivery_method",
        "due_at",
        "events",
        "form_data",
        "on_behalf_note",
        "overdue_flagged_at",
        "payments",
        "procedure",
        "public_id",
        "rating",
        "received_at",
        "registered_by_id",
        "result_file",
        "segments",
        "status",
        "submitted_at",
        "updated_at",
    )

    def __init__(self, *, procedure, applicant, channel, delivery_method, public_id):
        self.procedure, self.applicant, self.channel = procedure, applicant, str(channel)
        self.delivery_method, self.public_id = str(delivery_method), public_id
        self.status = S.DRAFT
        self.amount_due = self.amount_paid = 0
        self.assignee_id = self.registered_by_id = None
        self.code = self.created_at = self.updated_at = self.submitted_at = self.received_at = None
        self.due_at = self.clock_paused_at = self.completed_at = self.overdue_flagged_at = None
        self.result_file, self.on_behalf_note, self.form_data = "", "", {}
        self.events, self.payments, self.segments, self.rating = [], [], [], None
        self.attachments = []


def _utc(moment):
    """A datetime as the workflow reads it back from the database."""
    return moment.astimezone(UTC) if moment is not None else None


@dataclass(frozen=True)
class Move:
    """A table row as one (action, status, role) takes it: its guard, target, role, notes and mirrored effects."""

    row: object
    target: str
    actor_role: str
    effects: tuple


class Replay:
    """Moves dossiers through the table; one per run (what it learns about the table is kept)."""

    def __init__(self, world):
        self.world, self.now = world, world.now
        self._moves: dict = {}
        self._notes: dict = {}
        self.mirrors = {
            effects.start_clock: self._start_clock,
            effects.pause_clock: self._pause_clock,
            effects.resume_clock: self._resume_clock,
            effects.stamp_closing_time: self._stamp_closing_time,
            effects.record_payment: self._record_payment,
            effects.assign_processor: self._assign_processor,
            effects.store_result: self._store_result,
            effects.keep_documents: self._keep_documents,
            # Generated requests name no paper (as a request about the form alone): nothing to record or check.
            supplements.name_papers: self._no_papers,
            supplements.check_papers_sent: self._no_papers,
        }
        receivers = {refunds_start_for_dossier: self._refunds_start, rollups_dossier_entered: None}
        check_receivers(receivers)
        # None: figures.receivers recomputes a day's rollups after each move; a run rebuilds its period's
        # rollups once, after its commit (service.history_generate), instead.
        self.receiver_statuses = [
            (receivers[r.receiver], r.statuses) for r in status_receivers.registrations() if receivers.get(r.receiver)
        ]

    # --- the move --------------------------------------------------------------------------------

    def _mirror(self, effect):
        mirror = self.mirrors.get(effect)
        if mirror is None:
            raise WorkflowMismatch(f"the generator has no mirror of {effect.__qualname__}")
        return mirror

    def _moves_for(self, action: str, status: str, role: str) -> list[Move]:
        """The rows `role` may take for `action` from `status`, in table order, as find_transition reads them."""
        key = (action, status, role)
        moves = self._moves.get(key)
        if moves is None:
            roles = frozenset({role})
            moves = []
            for row in workflow.transitions_for(action):
                if not row.actors & roles or status not in row.sources:
                    continue
                hooks = [hook.effect for hook in workflow.hooks_between(status, row.target)]
                mirrors = tuple(self._mirror(effect) for effect in (row.effect, *hooks) if effect is not None)
                # workflow.transition: the actor's role on the event is the first of the row's roles it holds.
                role_taken = str(next(iter(sorted(row.actors & roles))))
                moves.append(Move(row, str(row.target), role_taken, mirrors))
            self._moves[key] = moves
        return moves

    def _event_notes(self, row, role: str, note: str, reason: str) -> tuple[str, str]:
        key = (id(row), role, note, reason)
        notes = self._notes.get(key)
        if notes is None:
            data = ActionInput(note=note, reason=reason)
            notes = self._notes[key] = workflow.event_notes(row, actor_roles=frozenset({role}), data=data)
        return notes

    def act(self, d, action: str, at: datetime, *, actor_id, role: str, note="", reason="", amount=None,
            assignee_id=None) -> bool:  # fmt: skip
        """workflow.transition without the database; False (and nothing done) when `at` is after now."""
        if at > self.now:
            return False
        from_status = d.status
        moves = self._moves.get((action, from_status, role)) or self._moves_for(action, from_status, role)
        for move in moves:
            if move.row.guard is None or move.row.guard(d):
                break
        else:
            raise WorkflowMismatch(f"no row of the workflow takes {action} from {d.status} for {role}")
        notes = self._notes.get((id(move.row), role, note, reason))
        public_note, internal_note = notes or self._event_notes(move.row, role, note, reason)
        recorded = {}
        for mirror in move.effects:
            found = mirror(d, at, amount, assignee_id)
            if found:
                recorded.update(found)
        d.status = move.target
        d.updated_at = at
        # Columns of rows.EVENT_COLUMNS after dossier_id.
        d.events.append((action, from_status, move.target, actor_id, move.actor_role, public_note, internal_note,
                         True, recorded, at))  # fmt: skip
        d.segments.append((at, move.target, d.due_at, d.clock_paused_at))
        if from_status != move.target:
            for receiver, statuses in self.receiver_statuses:
                if move.target in statuses:
                    receiver(d, at)
        return True

    # --- effects (dossiers/effects.py) -------------------------------------------------------------

    def _start_clock(self, d, at, amount, assignee_id):
        d.received_at = at
        d.due_at = self.world.clock.appointment(at, d.procedure.processing_days)

    def _pause_clock(self, d, at, amount, assignee_id):
        if d.received_at and not d.clock_paused_at:
            d.clock_paused_at = at

    def _resume_clock(self, d, at, amount, assignee_id):
        if not d.clock_paused_at:
            return None
        d.due_at = self.world.clock.appointment_after_pause(
            due_at=_utc(d.due_at), paused_at=_utc(d.clock_paused_at), resumed_at=at
        )
        d.clock_paused_at = None
        return {"due_at": d.due_at.isoformat()}

    def _stamp_closing_time(self, d, at, amount, assignee_id):
        d.completed_at = at

    def _record_payment(self, d, at, amount, assignee_id):
        owed = rules.fee_outstanding(d)
        if not isinstance(amount, int) or not 0 < amount <= owed:
            raise WorkflowMismatch(f"payment of {amount} with {owed} owed")
        d.amount_paid += amount
        return {"amount": amount}

    def _assign_processor(self, d, at, amount, assignee_id):
        d.assignee_id = assignee_id
        return {"assignee": assignee_id}

    def _store_result(self, d, at, amount, assignee_id):
        d.result_file = self.world.result_file

    def _keep_documents(self, d, at, amount, assignee_id):
        """Not generated: the applicants' document stores (generated papers and results share one sample
        PDF and are not signed, so there is nothing of theirs to keep or reuse)."""

    def _no_papers(self, d, at, amount, assignee_id):
        return None

    # --- status receivers (payments.services.refunds.refunds_start_for_dossier) ----------------------

    def _refunds_start(self, d, at):
        for payment in d.payments:
            if payment.status == P.PENDING:
                payment.move(P.CANCELLED, at=at, source="portal", data={"reason": "dossier_closed"})
            elif payment.status == P.SUCCEEDED:
                payment.move(P.REFUND_PENDING, at=at, source="portal")
                self.world.refund_tail(payment, at)


def check_receivers(mirrored: dict) -> None:
    """Every receiver registered on a status a generated dossier can enter must have a mirror."""
    entered = {
        S.AWAITING_PAYMENT,
        S.SUBMITTED,
        S.PROCESSING,
        S.SUPPLEMENT_REQUESTED,
        S.AWAITING_APPROVAL,
        S.RESULT_READY,
        *rules.FINAL_STATUSES,
    }
    for registration in status_receivers.registrations():
        if registration.statuses & entered and registration.receiver not in mirrored:
            raise WorkflowMismatch(f"the generator has no mirror of the receiver {registration.receiver.__qualname__}")
