"""Named rules about a dossier: the status sets and predicates that pages, the API, file views,
selectors, notices and the workflow table all ask, so that each rule has one answer.
"""

from dossiers.constants import Actor, DossierStatus, IntakeChannel
from dossiers.models import Dossier
from procedures.constants import DeliveryMethod, OnlineLevel

S = DossierStatus

# The dossier's life is over: nothing more can happen to it, and it counts as closed in the figures.
FINAL_STATUSES = frozenset({S.COMPLETED, S.REJECTED, S.REFUSED, S.WITHDRAWN})
# Closed without a result: any fee paid online goes back to the applicant.
CLOSED_WITHOUT_RESULT = FINAL_STATUSES - {S.COMPLETED}
# Sent to the agency and not yet closed.
OPEN_STATUSES = frozenset(S) - FINAL_STATUSES - {S.DRAFT}
# Received by the agency and not yet finished: an appointment that can still be missed.
RECEIVED_OPEN_STATUSES = frozenset({S.PROCESSING, S.AWAITING_APPROVAL, S.RESULT_READY})
# The appointment clock runs: received, not waiting for the applicant, no result yet.
CLOCK_RUNNING_STATUSES = frozenset({S.PROCESSING, S.AWAITING_APPROVAL})
# The applicant may add or replace papers.
APPLICANT_EDITABLE_STATUSES = frozenset({S.DRAFT, S.SUPPLEMENT_REQUESTED})
# A result exists and the applicant may see that it does.
RESULT_VISIBLE_STATUSES = frozenset({S.RESULT_READY, S.IN_DELIVERY, S.COMPLETED})


def roles_that_see(dossier: Dossier, roles: frozenset) -> frozenset:
    """The caller's roles that count on this dossier: a citizen's unsent draft is theirs alone,
    so officials of the agency neither see it, nor its files, nor act on it."""
    if dossier.status == S.DRAFT:
        return roles & {Actor.APPLICANT}
    return roles


def accepts_scans(dossier: Dossier) -> bool:
    """A paper dossier (brought to the counter or sent by post) takes the counter's scans of its papers
    from registration until it is closed."""
    return dossier.channel != IntakeChannel.ONLINE and dossier.status not in FINAL_STATUSES


def fee_settled(dossier: Dossier) -> bool:
    return dossier.amount_paid >= dossier.amount_due


def fee_outstanding(dossier: Dossier) -> int:
    """What is still to pay on this dossier (its fee was fixed when it was submitted)."""
    return max(dossier.amount_due - dossier.amount_paid, 0)


def fee_unpaid(dossier: Dossier) -> bool:
    return fee_outstanding(dossier) > 0


def fee_payment_way(dossier: Dossier) -> str:
    """How the rest of the fee is paid, for the pages: "" (no fee), "paid" (nothing owed: a dossier paid online
    is never sent to the counter to pay), "online" (now, before the agency sees it), "postman", "counter"."""
    if not dossier.amount_due:
        return ""
    if fee_settled(dossier):
        return "paid"
    if dossier.status == S.AWAITING_PAYMENT:
        return "online"
    return "postman" if ships_by_post(dossier) else "counter"


def online_fee_due(dossier: Dossier) -> bool:
    """A level-4 procedure is paid online before the agency sees the dossier."""
    return dossier.procedure.online_level == OnlineLevel.LEVEL_4 and not fee_settled(dossier)


def no_online_fee_due(dossier: Dossier) -> bool:
    return not online_fee_due(dossier)


def was_received(dossier: Dossier) -> bool:
    return dossier.received_at is not None


def not_received(dossier: Dossier) -> bool:
    return dossier.received_at is None


def ships_by_post(dossier: Dossier) -> bool:
    """The result goes by post; whatever is still owed is collected by the postman (cash on delivery)."""
    return dossier.delivery_method == DeliveryMethod.POSTAL


def collect_on_delivery(dossier: Dossier) -> bool:
    return fee_outstanding(dossier) > 0


def result_visible(dossier: Dossier) -> bool:
    """The applicant is shown that a result exists (it may still wait for the fee)."""
    return bool(dossier.result_file) and dossier.status in RESULT_VISIBLE_STATUSES


def fee_collected_on_delivery(dossier: Dossier) -> bool:
    """The result is on its way by post: the postman collects what is still owed when handing it over."""
    return ships_by_post(dossier) and dossier.status == S.IN_DELIVERY


def result_awaits_fee(dossier: Dossier) -> bool:
    """The applicant is asked to pay the rest of the fee to receive the result, unless the postman collects it."""
    return result_visible(dossier) and not fee_settled(dossier) and not fee_collected_on_delivery(dossier)


def result_downloadable(dossier: Dossier, roles: frozenset) -> bool:
    """May a caller with these roles on the dossier take its result file?

    Officials of the agency may always read what they issued; the applicant once the result is
    released and the fee is paid.
    """
    if not dossier.result_file or not roles:
        return False
    if roles - {Actor.APPLICANT}:
        return True
    return result_visible(dossier) and fee_settled(dossier)
