"""The dossier workflow: one transition table, and the one function that writes Dossier.status.

The API, the web pages, the trainer's diagram and the tests all read TRANSITIONS. A row may
carry a guard (a predicate on the dossier) when the same action leads to different statuses
(submit with or without an online fee; a supplement before or after receipt).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Actor, DossierStatus
from dossiers.models import Dossier, DossierEvent
from portal.errors import ConflictError, PermissionDeniedError
from procedures.constants import DeliveryMethod, OnlineLevel

S = DossierStatus
A = Actor

ERR_WRONG_STATUS = _("Không thể thực hiện thao tác này khi hồ sơ ở trạng thái “{status}”.")
ERR_NOT_ALLOWED = _("Bạn không có quyền thực hiện thao tác này.")
ERR_GUARD = _("Hồ sơ chưa đủ điều kiện để thực hiện thao tác này.")


def online_fee_due(dossier: Dossier) -> bool:
    return dossier.procedure.online_level == OnlineLevel.LEVEL_4 and dossier.amount_due > dossier.amount_paid


def no_online_fee_due(dossier: Dossier) -> bool:
    return not online_fee_due(dossier)


def was_received(dossier: Dossier) -> bool:
    return dossier.received_at is not None


def not_received(dossier: Dossier) -> bool:
    return dossier.received_at is None


def fee_settled(dossier: Dossier) -> bool:
    return dossier.amount_paid >= dossier.amount_due


def postal_and_fee_settled(dossier: Dossier) -> bool:
    return dossier.delivery_method == DeliveryMethod.POSTAL and fee_settled(dossier)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    actors: frozenset
    label: str
    requires: tuple = ()  # inputs the action needs: "reason", "assignee", "file", "amount"
    guard: Callable[[Dossier], bool] | None = None


def _t(action, sources, target, actors, label, requires=(), guard=None):
    return Transition(action, frozenset(sources), target, frozenset(actors), label, tuple(requires), guard)


TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", [S.DRAFT], S.SUBMITTED, [A.APPLICANT], _("Nộp hồ sơ"), guard=no_online_fee_due),
    _t("submit", [S.DRAFT], S.AWAITING_PAYMENT, [A.APPLICANT], _("Nộp hồ sơ, chờ thanh toán"), guard=online_fee_due),
    _t("confirm_payment", [S.AWAITING_PAYMENT], S.SUBMITTED, [A.SYSTEM], _("Đã thanh toán trực tuyến")),
    _t("expire_payment", [S.AWAITING_PAYMENT], S.WITHDRAWN, [A.SYSTEM], _("Hết hạn thanh toán")),
    _t("receive", [S.SUBMITTED], S.PROCESSING, [A.RECEIVER], _("Tiếp nhận hồ sơ")),
    # A paper dossier brought to the counter or sent by post is received as it is registered.
    _t("register_at_counter", [S.DRAFT], S.PROCESSING, [A.RECEIVER], _("Tiếp nhận hồ sơ giấy tại bộ phận một cửa")),
    _t("reject", [S.SUBMITTED], S.REJECTED, [A.RECEIVER], _("Từ chối tiếp nhận"), requires=["reason"]),
    _t(
        "request_supplement",
        [S.SUBMITTED, S.PROCESSING],
        S.SUPPLEMENT_REQUESTED,
        [A.RECEIVER, A.PROCESSOR],
        _("Yêu cầu bổ sung hồ sơ"),
        requires=["reason"],
    ),
    _t("supplement", [S.SUPPLEMENT_REQUESTED], S.PROCESSING, [A.APPLICANT], _("Đã bổ sung hồ sơ"), guard=was_received),
    _t("supplement", [S.SUPPLEMENT_REQUESTED], S.SUBMITTED, [A.APPLICANT], _("Đã bổ sung hồ sơ"), guard=not_received),
    _t(
        "assign",
        [S.PROCESSING],
        S.PROCESSING,
        [A.RECEIVER, A.APPROVER, A.LEADER],
        _("Phân công xử lý"),
        requires=["assignee"],
    ),
    _t("forward", [S.PROCESSING], S.AWAITING_APPROVAL, [A.PROCESSOR], _("Trình phê duyệt")),
    _t("approve", [S.AWAITING_APPROVAL], S.RESULT_READY, [A.APPROVER], _("Phê duyệt, có kết quả"), requires=["file"]),
    _t("return", [S.AWAITING_APPROVAL], S.PROCESSING, [A.APPROVER], _("Trả lại để xử lý lại"), requires=["reason"]),
    _t("refuse", [S.AWAITING_APPROVAL], S.REFUSED, [A.APPROVER], _("Không giải quyết"), requires=["reason"]),
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
    ),
    _t("hand_over", [S.RESULT_READY], S.COMPLETED, [A.RECEIVER], _("Trả kết quả"), guard=fee_settled),
    _t(
        "ship",
        [S.RESULT_READY],
        S.IN_DELIVERY,
        [A.RECEIVER],
        _("Gửi kết quả qua bưu chính"),
        guard=postal_and_fee_settled,
    ),
    _t("deliver", [S.IN_DELIVERY], S.COMPLETED, [A.SYSTEM], _("Đã phát kết quả")),
    # The apology slip (phiếu xin lỗi và hẹn lại ngày trả kết quả) moves the appointment, not the status:
    # a self-transition, one row per source since a row has one target. "Late or about to be" is checked
    # by the action itself (dossiers/overdue.py): a guard here would be re-checked after the date moved.
    *(
        _t(
            "issue_apology",
            [source],
            source,
            [A.RECEIVER, A.PROCESSOR, A.APPROVER, A.LEADER],
            _("Xin lỗi và hẹn lại ngày trả kết quả"),
            requires=["reason", "new_due_at"],
        )
        for source in (S.PROCESSING, S.AWAITING_APPROVAL, S.RESULT_READY)
    ),
    _t("return_to_sender", [S.IN_DELIVERY], S.RESULT_READY, [A.SYSTEM], _("Bưu chính hoàn trả kết quả")),
)

ACTIONS = frozenset(t.action for t in TRANSITIONS)
# Counter intake registers and receives a paper dossier in one service call, never as an action on its own.
SERVICE_ONLY_ACTIONS = frozenset({"register_at_counter"})
OFFICIAL_ACTIONS = (
    frozenset(t.action for t in TRANSITIONS if t.actors & {A.RECEIVER, A.PROCESSOR, A.APPROVER, A.LEADER})
    - SERVICE_ONLY_ACTIONS
)


# Events that record something other than a move (audit rows written by services).
OTHER_EVENT_LABELS = {"attach": _("Đính kèm giấy tờ")}
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
    raise ConflictError(str(ERR_GUARD), code="guard_failed")


def available_actions(dossier: Dossier, actor_roles: frozenset) -> list[Transition]:
    """Actions the caller may take now (for pages and the API), one row per action."""
    seen, result = set(), []
    for t in TRANSITIONS:
        if t.action in seen or t.action in SERVICE_ONLY_ACTIONS:
            continue
        if dossier.status not in t.sources or not (t.actors & actor_roles):
            continue
        if t.guard is None or t.guard(dossier):
            seen.add(t.action)
            result.append(t)
    return result


def transition(
    dossier: Dossier,
    *,
    action: str,
    actor,
    actor_roles: frozenset,
    public_note: str = "",
    internal_note: str = "",
    data: dict | None = None,
) -> DossierEvent:
    """Move a locked dossier (select_for_update by the caller) and write its event row.

    The only place that assigns Dossier.status. Side effects belong to the calling service.
    """
    row = find_transition(dossier, action, actor_roles)
    from_status = dossier.status
    dossier.status = row.target
    dossier.save(update_fields=["status", "updated_at"])
    acting_as = next(iter(sorted(row.actors & actor_roles)))
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=row.target,
        actor=actor,
        actor_role=acting_as,
        public_note=public_note,
        internal_note=internal_note,
        data=data or {},
        created_at=timezone.now(),
    )
