"""What the applicant is told when their dossier moves, in their language.

Whether a move is told at all, and by which channels, is the workflow table's `notice` (NoticeLevel);
this module only writes the words.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import rules
from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent
from portal.accounts.notices import Notice, person_notify
from portal.formatting import local_datetime, vnd

SUBJECT = gettext_noop("Cổng Dịch vụ công: hồ sơ {code}")
HEADLINE = gettext_noop("Hồ sơ {code} ({procedure}): {what}.")
DUE_LINE = gettext_noop("Ngày hẹn trả: {due}.")
PAYMENT_DUE_LINE = gettext_noop("Số tiền cần thanh toán trực tuyến: {amount} đồng.")
FEE_AT_COUNTER_LINE = gettext_noop("Phí, lệ phí nộp khi nhận kết quả: {amount} đồng.")


def _fee_line(dossier: Dossier) -> str:
    owed = rules.fee_outstanding(dossier)
    if not owed:
        return ""
    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        return _(PAYMENT_DUE_LINE).format(amount=vnd(owed))
    if dossier.status == DossierStatus.RESULT_READY:
        return _(FEE_AT_COUNTER_LINE).format(amount=vnd(owed))
    return ""


def status_notice_text(dossier: Dossier, event: DossierEvent, *, headline=None) -> str:
    """One notice in the active language: what happened, the reason given, and what the applicant needs next
    (the appointment date while the clock runs, the amount to pay)."""
    what = str(headline) if headline else dossier.get_status_display()
    parts = [_(HEADLINE).format(code=dossier.code or "", procedure=dossier.procedure.name, what=what)]
    if event.public_note:
        parts.append(event.public_note)
    if dossier.due_at and dossier.status in rules.CLOCK_RUNNING_STATUSES:
        parts.append(_(DUE_LINE).format(due=local_datetime(dossier.due_at, "d/m/Y H:i")))
    parts.append(_fee_line(dossier))
    return " ".join(part for part in parts if part)


def dossier_notify_applicant(*, dossier: Dossier, event: DossierEvent, urgent: bool, headline=None) -> None:
    """Queue the notices in the caller's transaction; the outbox delivers them after commit.

    headline: what to say instead of the status (a move that keeps the status, such as an apology)."""

    def compose() -> Notice:
        return Notice(
            subject=_(SUBJECT).format(code=dossier.code or ""),
            body=status_notice_text(dossier, event, headline=headline),
        )

    person_notify(user=dossier.applicant, compose=compose, urgent=urgent)
