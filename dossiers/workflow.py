"""The dossier workflow: one transition table, and the one function that moves a dossier.

Each row says everything about a move: who may take it from where to where, what it needs, what
it does to the dossier's fields, which note is public and whether the applicant is told. Entering
some statuses has effects whatever the action (ON_ENTERING), and other apps react to a move through
dossiers.status_receivers. The API, the pages, the office forms, the test builders and the trainer's
diagram read this table; no code elsewhere keys behaviour on an action's name.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

import portal.clock as clock
from dossiers import effects, rules, status_receivers, supplements
from dossiers.constants import Actor, DossierStatus, NoticeLevel
from dossiers.effects import ActionInput
from dossiers.models import Dossier, DossierEvent
from dossiers.notices import dossier_notify_applicant
from dossiers.overdue import ERR_NOT_LATE, apology_open, apply_apology
from dossiers.queue_counts import queue_counts_move
from portal.errors import ConflictError, PermissionDeniedError, ServiceError, check_max_length

S = DossierStatus
A = Actor
N = NoticeLevel
Effect = Callable[[Dossier, ActionInput, object], tuple[list[str], dict]]

ERR_WRONG_STATUS = _("Không thể thực hiện thao tác này khi hồ sơ ở trạng thái “{status}”.")
ERR_NOT_ALLOWED = _("Bạn không có quyền thực hiện thao tác này.")
ERR_GUARD = _("Hồ sơ chưa đủ điều kiện để thực hiện thao tác này.")
ERR_REASON_REQUIRED = gettext_noop("Cần nêu lý do.")
ERR_NOTHING_OWED = gettext_noop("Hồ sơ đã nộp đủ phí, lệ phí.")


@dataclass(frozen=True)
class Transition:
    """One move of the workflow and everything it does.

    requires: inputs the action takes ("reason", "assignee", "file", "amount", "new_due_at"; "papers", the
        papers a supplement request names, may be empty: a request about the form alone).
    guard: a predicate on the dossier: the action is offered and taken only when it holds.
    refusal: what the caller is told when the guard does not hold.
    effect: changes the row makes to the dossier's own fields (see dossiers/effects.py).
    reason_is_public: the required reason reaches the applicant (else it stays with officials).
    notice: how the applicant hears of the move (NoticeLevel): ALERT by SMS and/or e-mail as they chose,
        only for what they must act on or wait for; INBOX an in-app notice; TIMELINE only the timeline.
        The one place that decides which moves notify.
    service_only: taken only inside a service (counter intake), never offered as an action.
    negative: ends the dossier against the applicant (pages draw it as a warning).
    reason_label: what the reason field asks for on the office form.
    """

    action: str
    sources: frozenset
    target: str
    actors: frozenset
    label: str
    requires: tuple = ()
    guard: Callable[[Dossier], bool] | None = None
    refusal: str = ERR_GUARD
    effect: Effect | None = None
    reason_is_public: bool = True
    notice: str = NoticeLevel.INBOX
    service_only: bool = False
    negative: bool = False
    reason_label: str = _("Lý do")


def _t(action, sources, target, actors, label, **options):
    if "requires" in options:
        options["requires"] = tuple(options["requires"])
    return Transition(action, frozenset(sources), target, frozenset(actors), label, **options)


OFFICIALS = [A.RECEIVER, A.PROCESSOR, A.APPROVER, A.LEADER]

TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", [S.DRAFT], S.SUBMITTED, [A.APPLICANT], _("Nộp hồ sơ"), guard=rules.no_online_fee_due),
    _t(
        "submit",
        [S.DRAFT],
        S.AWAITING_PAYMENT,
        [A.APPLICANT],
        _("Nộp hồ sơ, chờ thanh toán"),
        guard=rules.online_fee_due,
        notice=N.ALERT,
    ),
    # Payments records the money through this row: the same writer as the counter's payment.
    _t(
        "confirm_payment",
        [S.AWAITING_PAYMENT],
        S.SUBMITTED,
        [A.SYSTEM],
        _("Đã thanh toán trực tuyến"),
        requires=["amount"],
        effect=effects.record_payment,
        notice=N.ALERT,
    ),
    _t("expire_payment", [S.AWAITING_PAYMENT], S.WITHDRAWN, [A.SYSTEM], _("Hết hạn thanh toán")),
    _t("receive", [S.SUBMITTED], S.PROCESSING, [A.RECEIVER], _("Tiếp nhận hồ sơ"), notice=N.ALERT),
    # A paper dossier brought to the counter or sent by post is received as it is registered.
    _t(
        "register_at_counter",
        [S.DRAFT],
        S.PROCESSING,
        [A.RECEIVER],
        _("Tiếp nhận hồ sơ giấy tại bộ phận một cửa"),
        service_only=True,
        notice=N.ALERT,
    ),
    _t(
        "reject",
        [S.SUBMITTED],
        S.REJECTED,
        [A.RECEIVER],
        _("Từ chối tiếp nhận"),
        requires=["reason"],
        negative=True,
        reason_label=_("Lý do từ chối tiếp nhận"),
        notice=N.ALERT,
    ),
    _t(
        "request_supplement",
        [S.SUBMITTED, S.PROCESSING],
        S.SUPPLEMENT_REQUESTED,
        [A.RECEIVER, A.PROCESSOR],
        _("Yêu cầu bổ sung hồ sơ"),
        requires=["reason", "papers"],
        effect=supplements.name_papers,
        reason_label=_("Giấy tờ, nội dung cần bổ sung"),
        notice=N.ALERT,
    ),
    _t(
        "supplement",
        [S.SUPPLEMENT_REQUESTED],
        S.PROCESSING,
        [A.APPLICANT],
        _("Đã bổ sung hồ sơ"),
        guard=rules.was_received,
        effect=supplements.check_papers_sent,
    ),
    _t(
        "supplement",
        [S.SUPPLEMENT_REQUESTED],
        S.SUBMITTED,
        [A.APPLICANT],
        _("Đã bổ sung hồ sơ"),
        guard=rules.not_received,
        effect=supplements.check_papers_sent,
    ),
    _t(
        "assign",
        [S.PROCESSING],
        S.PROCESSING,
        [A.RECEIVER, A.APPROVER, A.LEADER],
        _("Phân công xử lý"),
        requires=["assignee"],
        effect=effects.assign_processor,
        notice=N.TIMELINE,
    ),
    _t("forward", [S.PROCESSING], S.AWAITING_APPROVAL, [A.PROCESSOR], _("Trình phê duyệt"), notice=N.TIMELINE),
    _t(
        "approve",
        [S.AWAITING_APPROVAL],
        S.RESULT_READY,
        [A.APPROVER],
        _("Phê duyệt, có kết quả"),
        requires=["file"],
        effect=effects.store_result,
        notice=N.ALERT,
    ),
    # A return to the processor is between officials: its reason stays internal.
    _t(
        "return",
        [S.AWAITING_APPROVAL],
        S.PROCESSING,
        [A.APPROVER],
        _("Trả lại để xử lý lại"),
        requires=["reason"],
        reason_is_public=False,
        reason_label=_("Lý do trả lại"),
        notice=N.TIMELINE,
    ),
    _t(
        "refuse",
        [S.AWAITING_APPROVAL],
        S.REFUSED,
        [A.APPROVER],
        _("Không giải quyết"),
        requires=["reason"],
        negative=True,
        reason_label=_("Lý do không giải quyết"),
        notice=N.ALERT,
    ),
    _t(
        "withdraw",
        [S.DRAFT, S.AWAITING_PAYMENT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED],
        S.WITHDRAWN,
        [A.APPLICANT],
        _("Rút hồ sơ"),
        requires=["reason"],
    ),
    _t(
        "record_counter_payment",
        [S.RESULT_READY],
        S.RESULT_READY,
        [A.RECEIVER],
        _("Thu phí tại quầy"),
        requires=["amount"],
        guard=rules.fee_unpaid,
        refusal=ERR_NOTHING_OWED,
        effect=effects.record_payment,
        notice=N.TIMELINE,
    ),
    _t("hand_over", [S.RESULT_READY], S.COMPLETED, [A.RECEIVER], _("Trả kết quả"), guard=rules.fee_settled),
    _t(
        "ship",
        [S.RESULT_READY],
        S.IN_DELIVERY,
        [A.RECEIVER],
        _("Gửi kết quả qua bưu chính"),
        guard=rules.ships_by_post,
    ),
    # The courier reports the result delivered. What was still owed (a level-3 fee and the postage) was
    # paid to the postman: the amount is recorded by the same writer as a payment at the counter.
    _t(
        "deliver",
        [S.IN_DELIVERY],
        S.COMPLETED,
        [A.SYSTEM],
        _("Đã phát kết quả"),
        guard=rules.fee_settled,
        notice=N.ALERT,
    ),
    _t(
        "deliver",
        [S.IN_DELIVERY],
        S.COMPLETED,
        [A.SYSTEM],
        _("Đã phát kết quả"),
        requires=["amount"],
        guard=rules.collect_on_delivery,
        effect=effects.record_payment,
        notice=N.ALERT,
    ),
    # The apology slip (phiếu xin lỗi và hẹn lại ngày trả kết quả) moves the appointment, not the status:
    # a self-transition, one row per source since a row has one target; only for a missed (or nearly
    # missed) appointment. The guard is checked once, before the effect moves the date.
    *(
        _t(
            "issue_apology",
            [source],
            source,
            OFFICIALS,
            _("Xin lỗi và hẹn lại ngày trả kết quả"),
            requires=["reason", "new_due_at"],
            guard=apology_open,
            refusal=ERR_NOT_LATE,
            effect=apply_apology,
            reason_label=_("Lý do chậm trả kết quả"),
            notice=N.ALERT,
        )
        for source in (S.PROCESSING, S.AWAITING_APPROVAL, S.RESULT_READY)
    ),
    # The post could not deliver and brought the result back: the applicant collects it at the counter.
    _t(
        "return_to_sender",
        [S.IN_DELIVERY],
        S.RESULT_READY,
        [A.SYSTEM],
        _("Bưu chính hoàn trả kết quả"),
        notice=N.ALERT,
    ),
)


@dataclass(frozen=True)
class StatusHook:
    """Something that happens whenever a dossier enters one of `entering` (from one of `coming_from`,
    when given), whichever action moved it. Self-transitions enter nothing."""

    entering: frozenset
    effect: Effect
    coming_from: frozenset | None = None

    def applies(self, *, from_status: str, to_status: str) -> bool:
        if from_status == to_status or to_status not in self.entering:
            return False
        return self.coming_from is None or from_status in self.coming_from


ON_ENTERING: tuple[StatusHook, ...] = (
    StatusHook(frozenset({S.PROCESSING}), effects.start_clock, coming_from=frozenset({S.SUBMITTED, S.DRAFT})),
    StatusHook(frozenset({S.SUPPLEMENT_REQUESTED}), effects.pause_clock),
    StatusHook(
        frozenset({S.PROCESSING, S.SUBMITTED}), effects.resume_clock, coming_from=frozenset({S.SUPPLEMENT_REQUESTED})
    ),
    StatusHook(rules.FINAL_STATUSES, effects.stamp_closing_time),
    StatusHook(frozenset({S.COMPLETED}), effects.keep_documents),
)

ACTIONS = frozenset(t.action for t in TRANSITIONS)
# Counter intake registers and receives a paper dossier in one service call, never as an action on its own.
SERVICE_ONLY_ACTIONS = frozenset(t.action for t in TRANSITIONS if t.service_only)
OFFICIAL_ACTIONS = frozenset(t.action for t in TRANSITIONS if t.actors & set(OFFICIALS)) - SERVICE_ONLY_ACTIONS


# Events that record something other than a move (audit rows written by services).
OTHER_EVENT_LABELS = {
    "attach": _("Đính kèm giấy tờ"),
    "reuse_document": _("Dùng lại giấy tờ từ kho dữ liệu điện tử"),
    "digitise": _("Xác nhận bản quét đã số hóa"),
}
_LABEL_BY_OUTCOME = {(t.action, t.target): t.label for t in TRANSITIONS}
_LABEL_BY_ACTION = {t.action: t.label for t in reversed(TRANSITIONS)}  # the first row's label wins


def event_label(event: DossierEvent) -> str:
    """What an event says on a timeline: by action and outcome, since one action may have several rows."""
    label = (
        _LABEL_BY_OUTCOME.get((event.action, event.to_status))
        or _LABEL_BY_ACTION.get(event.action)
        or OTHER_EVENT_LABELS.get(event.action, event.action)
    )
    return str(label)


def transitions_for(action: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action == action]


def find_transition(dossier: Dossier, action: str, actor_roles: frozenset) -> Transition:
    """The row this action takes from the dossier's status, or a typed error.

    Never allowed for the caller's roles → 403 (whatever the status); allowed but not from
    this status → 409; allowed but a condition is unmet → 409.
    """
    rows = [t for t in transitions_for(action) if t.actors & actor_roles]
    if not rows:
        raise PermissionDeniedError(str(ERR_NOT_ALLOWED))
    rows = [t for t in rows if dossier.status in t.sources]
    if not rows:
        raise ConflictError(str(ERR_WRONG_STATUS).format(status=dossier.get_status_display()), code="wrong_status")
    for row in rows:
        if row.guard is None or row.guard(dossier):
            return row
    raise ConflictError(gettext_now(str(rows[0].refusal)), code="guard_failed")


def available_actions(dossier: Dossier, actor_roles: frozenset) -> list[Transition]:
    """Actions the caller may take now (for pages and the API), one row per action."""
    seen, result = set(), []
    for t in TRANSITIONS:
        if t.action in seen or t.service_only:
            continue
        if dossier.status not in t.sources or not (t.actors & actor_roles):
            continue
        if t.guard is None or t.guard(dossier):
            seen.add(t.action)
            result.append(t)
    return result


def hooks_between(from_status: str, to_status: str) -> list[StatusHook]:
    return [hook for hook in ON_ENTERING if hook.applies(from_status=from_status, to_status=to_status)]


def required_reason(row: Transition, data: ActionInput) -> str:
    """The reason a row requires (a note given instead counts), or a 400 naming the field."""
    if "reason" not in row.requires:
        return ""
    reason = (data.reason or data.note or "").strip()
    if not reason:
        raise ServiceError(gettext_now(ERR_REASON_REQUIRED), field="reason")
    return reason


def event_notes(row: Transition, *, actor_roles: frozenset, data: ActionInput) -> tuple[str, str]:
    """(public, internal): a required reason goes where the row says; otherwise what the applicant
    or the system says is public, and an official's remark stays internal."""
    if "reason" in row.requires:
        reason = required_reason(row, data)
        return (reason, "") if row.reason_is_public else ("", reason)
    if actor_roles & {A.APPLICANT, A.SYSTEM}:
        return data.note, ""
    return "", data.note


def transition(
    dossier: Dossier,
    *,
    action: str,
    actor,
    actor_roles: frozenset,
    data: ActionInput | None = None,
) -> DossierEvent:
    """Move a locked dossier (select_for_update by the caller) as its row says, in the caller's transaction.

    The only place that assigns Dossier.status: finds the row (403/409), checks the inputs, applies
    the row's effect and the status hooks, saves once, writes the event, tells the applicant when the
    row says so (after commit, through the outbox) and calls the other apps' status receivers.
    """
    data = data or ActionInput()
    row = find_transition(dossier, action, actor_roles)
    check_max_length(data.note or "", field="note")
    check_max_length(data.reason or "", field="reason")
    public_note, internal_note = event_notes(row, actor_roles=actor_roles, data=data)
    now = clock.now()
    from_status = dossier.status
    changed, event_data = [], {}
    for effect in [row.effect, *(hook.effect for hook in hooks_between(from_status, row.target))]:
        if effect is None:
            continue
        fields, recorded = effect(dossier, data, now)
        changed += fields
        event_data.update(recorded)
    dossier.status = row.target
    dossier.save(update_fields=[*dict.fromkeys(changed), "status", "updated_at"])
    if from_status != row.target:
        queue_counts_move(agency_id=dossier.agency_id, from_status=from_status, to_status=row.target)
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=row.target,
        actor=actor,
        actor_role=next(iter(sorted(row.actors & actor_roles))),
        public_note=public_note,
        internal_note=internal_note,
        data=event_data,
        created_at=now,
    )
    if row.notice != N.TIMELINE:
        dossier_notify_applicant(
            dossier=dossier,
            event=event,
            urgent=row.notice == N.ALERT,
            headline=row.label if from_status == row.target else None,
        )
    if from_status != row.target:
        status_receivers.dossier_entered(dossier=dossier, event=event)
    return event
