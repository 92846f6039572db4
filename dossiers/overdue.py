"""Missed appointments: who is told when a dossier runs past its due date, and the apology slip's rule
(the slip itself is form 04 of dossiers.paperwork).

The sweep that flags overdue dossiers lives in services/overdue.py; this module holds what it
and the workflow table need without importing any service (its apology row uses `apology_open`
and `apply_apology` from here).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.models import Dossier
from dossiers.selectors import is_due_soon, is_overdue
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from portal.errors import ServiceError
from portal.formatting import local_datetime
from procedures.calendar import WorkingCalendar, office_hours, office_time_zone

ERR_NOT_LATE = gettext_noop("Chỉ lập phiếu xin lỗi cho hồ sơ đã quá hạn hoặc sắp đến hạn mà chưa giải quyết xong.")
ERR_NEW_DUE_REQUIRED = gettext_noop("Cần chọn ngày hẹn trả kết quả mới.")
ERR_NEW_DUE_PAST = gettext_noop("Ngày hẹn mới phải sau thời điểm hiện tại.")
ERR_NEW_DUE_NOT_LATER = gettext_noop("Ngày hẹn mới phải sau ngày hẹn cũ ({old}).")
ERR_NEW_DUE_NOT_WORKING_DAY = gettext_noop("Ngày hẹn mới phải là ngày làm việc.")
ERR_NEW_DUE_TOO_FAR = gettext_noop("Ngày hẹn mới không được quá một năm kể từ hôm nay.")
# An apology moves the appointment by days or weeks; a date years away is a typing slip.
APOLOGY_MAX_AHEAD = timedelta(days=365)
# An SMS stays short: a few codes, then how many more.
SMS_MAX_CODES = 3


def appointment_on(day: date) -> datetime:
    """An appointment on a given day is due when the office closes that day."""
    return datetime.combine(day, office_hours()[1], tzinfo=office_time_zone())


def apology_open(dossier: Dossier, *, now=None) -> bool:
    """An apology slip is due once the appointment is missed, or will be within the due-soon window."""
    return is_overdue(dossier, now=now) or is_due_soon(dossier, now=now)


def apply_apology(dossier: Dossier, data, now) -> tuple[list[str], dict]:
    """The apology slip's effect in the workflow table: a later appointment, flag cleared.

    The row's guard (apology_open) has allowed it. Clearing overdue_flagged_at lets the sweep warn
    again if the new date is missed too.
    """
    new_due_at = data.new_due_at
    if new_due_at is None:
        raise ServiceError(_(ERR_NEW_DUE_REQUIRED), field="new_due_at")
    if not isinstance(new_due_at, datetime):
        new_due_at = appointment_on(new_due_at)
    local_day = new_due_at.astimezone(office_time_zone()).date()
    if new_due_at <= now:
        raise ServiceError(_(ERR_NEW_DUE_PAST), field="new_due_at")
    if new_due_at > now + APOLOGY_MAX_AHEAD:
        raise ServiceError(_(ERR_NEW_DUE_TOO_FAR), field="new_due_at")
    if dossier.due_at and new_due_at <= dossier.due_at:
        raise ServiceError(_(ERR_NEW_DUE_NOT_LATER).format(old=local_datetime(dossier.due_at)), field="new_due_at")
    if not WorkingCalendar.for_range(local_day, local_day).is_working_day(local_day):
        raise ServiceError(_(ERR_NEW_DUE_NOT_WORKING_DAY), field="new_due_at")
    previous = dossier.due_at
    dossier.due_at = new_due_at
    dossier.overdue_flagged_at = None
    event_data = {"due_at": new_due_at.isoformat(), "previous_due_at": previous.isoformat() if previous else None}
    return ["due_at", "overdue_flagged_at"], event_data


def overdue_recipients(dossiers: list[Dossier]) -> dict:
    """{user: [dossiers]}: each dossier's assignee and the leaders of its agency or the parent agency.

    One query for all the leaders, whatever the number of dossiers (agency is select_related).
    """
    agency_ids = {d.agency_id for d in dossiers} | {d.agency.parent_id for d in dossiers if d.agency.parent_id}
    leaders = defaultdict(list)
    for staff_role in StaffRole.objects.filter(role=Role.LEADER, agency_id__in=agency_ids).select_related("user"):
        leaders[staff_role.agency_id].append(staff_role.user)
    concerned = defaultdict(list)
    for dossier in dossiers:
        users = {user.pk: user for user in (*leaders[dossier.agency_id], *leaders[dossier.agency.parent_id])}
        if dossier.assignee is not None:
            users[dossier.assignee.pk] = dossier.assignee
        for user in users.values():
            concerned[user].append(dossier)
    return concerned


def overdue_sms_text(dossiers: list[Dossier]) -> str:
    codes = ", ".join(d.code for d in dossiers[:SMS_MAX_CODES])
    more = len(dossiers) - SMS_MAX_CODES
    text = _("Cổng DVC: %(count)d hồ sơ đã quá hạn giải quyết: %(codes)s") % {"count": len(dossiers), "codes": codes}
    if more > 0:
        text += " " + _("và %(more)d hồ sơ khác") % {"more": more}
    return text + "."


def overdue_notice_text(dossiers: list[Dossier]) -> str:
    lines = [_("Các hồ sơ sau đã quá ngày hẹn trả kết quả:")]
    for dossier in dossiers:
        lines.append(
            _("%(code)s — %(procedure)s — hẹn trả %(due)s")
            % {"code": dossier.code, "procedure": dossier.procedure.name, "due": local_datetime(dossier.due_at)}
        )
    lines.append(_("Hãy xử lý ngay hoặc lập phiếu xin lỗi và hẹn lại ngày trả kết quả cho người nộp."))
    return "\n".join(lines)
