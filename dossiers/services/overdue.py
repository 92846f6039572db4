"""Missed appointments: the periodic overdue sweep, and the apology slip with a new appointment."""

from datetime import date, datetime
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

import portal.clock as clock
from dossiers.models import Dossier
from dossiers.overdue import overdue_notice_text, overdue_recipients, overdue_sms_text
from dossiers.selectors import overdue_q
from dossiers.services.review import ActionInput, dossier_act
from portal.accounts.notices import Notice, person_notify

# One sweep handles at most this many dossiers; the next run (every 15 minutes) takes the rest.
SWEEP_BATCH = 500


@transaction.atomic
def dossiers_flag_overdue(*, now: datetime | None = None) -> int:
    """Flag received dossiers past their appointment, once each, and tell the people responsible.

    Not a status change: the dossier keeps its status and only overdue_flagged_at is set.
    Each assignee or leader gets one SMS and one in-app notice per sweep listing their dossiers,
    so the queries are a fixed few plus the message rows, however many dossiers are late.
    Rows a concurrent sweep holds are skipped, never flagged twice.
    """
    now = now or clock.now()
    dossiers = list(
        Dossier.objects.filter(overdue_q(now), overdue_flagged_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("procedure", "agency", "assignee")
        .order_by("due_at", "id")[:SWEEP_BATCH]
    )
    if not dossiers:
        return 0
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(overdue_flagged_at=now)
    for user, late in overdue_recipients(dossiers).items():
        person_notify(user=user, compose=partial(_overdue_notice, late), urgent=True)
    return len(dossiers)


def _overdue_notice(late: list[Dossier]) -> Notice:
    return Notice(subject=_("Hồ sơ quá hạn giải quyết"), body=overdue_notice_text(late), sms=overdue_sms_text(late))


def dossier_issue_apology(*, dossier_id: int, user, new_due_at: date | datetime, reason: str) -> Dossier:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: a later appointment, told to the applicant.

    A workflow self-transition (status unchanged), so it is locked, checked and recorded like
    every other action; a date alone means the office's closing time that day.
    """
    return dossier_act(
        dossier_id=dossier_id,
        user=user,
        action="issue_apology",
        data=ActionInput(reason=reason, new_due_at=new_due_at),
    )
