import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from pypdf import PdfReader

from dossiers import paperwork, selectors, workflow
from dossiers.models import Dossier, DossierEvent
from dossiers.overdue import apology_open
from dossiers.services.overdue import dossier_issue_apology, dossiers_flag_overdue
from dossiers.services.review import ActionInput, dossier_act
from dossiers.tasks_overdue import flag_overdue_dossiers
from portal.accounts.constants import Role
from portal.errors import ConflictError, PermissionDeniedError, ServiceError
from portal.notifications.models import OutboundMessage
from procedures.constants import GovLevel
from tests import factories
from tests.dossiers.builders import Staff, make_dossier

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Received Monday 16/11/2026 at 9:00 with 3 working days: due Thursday 19/11 at 9:00.
RECEIVED = datetime(2026, 11, 16, 9, 0, tzinfo=HCM)
DUE = datetime(2026, 11, 19, 9, 0, tzinfo=HCM)
LATE = datetime(2026, 11, 20, 10, 0, tzinfo=HCM)
NEW_DAY = date(2026, 11, 26)  # a Thursday; 24/11 is a public holiday, 21–22/11 a weekend


@pytest.fixture
def setting():
    """An agency under a province department, its staff, and one leader at each level."""
    parent = factories.AgencyFactory(gov_level=GovLevel.PROVINCE)
    agency = factories.AgencyFactory()
    agency.parent = parent
    agency.save(update_fields=["parent"])
    procedure = factories.ProcedureFactory(agencies=[agency])
    staff = Staff(agency)
    staff.leader = factories.make_official(role=Role.LEADER, agency=agency)
    staff.parent_leader = factories.make_official(role=Role.LEADER, agency=parent)
    staff.outsider = factories.make_official(role=Role.LEADER)  # a leader somewhere else
    return procedure, staff


def build(status, procedure, staff, **kwargs):
    with time_machine.travel(RECEIVED, tick=False):
        return make_dossier(status, procedure=procedure, staff=staff, **kwargs)


def messages_to(user):
    return OutboundMessage.objects.filter(user=user)


def test_sweep_flags_once_and_notifies_assignee_and_leaders(setting):
    procedure, staff = setting
    dossier = build("awaiting_approval", procedure, staff)
    assert dossier.due_at == DUE and dossier.assignee == staff.processor
    OutboundMessage.objects.all().delete()

    with time_machine.travel(LATE, tick=False):
        assert dossiers_flag_overdue() == 1
        dossier.refresh_from_db()
        assert dossier.overdue_flagged_at == LATE
        assert dossier.status == "awaiting_approval"  # a flag, not a status change
        for user in (staff.processor, staff.leader, staff.parent_leader):
            sent = messages_to(user)
            assert {m.channel for m in sent} == {"sms", "app"}
            assert sent.get(channel="sms").recipient == user.phone
            assert sent.get(channel="app").recipient == f"user:{user.pk}"
            assert all(dossier.code in m.body for m in sent)
        assert not messages_to(staff.outsider).exists()
        assert not messages_to(dossier.applicant).exists()
        assert not messages_to(staff.receiver).exists()

        assert dossiers_flag_overdue() == 0
        assert OutboundMessage.objects.count() == 6
    assert DossierEvent.objects.filter(dossier=dossier).count() == 4  # no event written by the sweep


def test_sweep_leaves_alone_what_is_not_late(setting):
    procedure, staff = setting
    on_time = build("processing", procedure, staff)
    paused = build("supplement_requested", procedure, staff)
    finished = build("completed", procedure, staff)
    not_received = build("submitted", procedure, staff)
    with time_machine.travel(datetime(2026, 11, 19, 8, 59, tzinfo=HCM), tick=False):
        assert dossiers_flag_overdue() == 0
    with time_machine.travel(LATE, tick=False):
        assert dossiers_flag_overdue() == 1
    flagged = set(Dossier.objects.filter(overdue_flagged_at__isnull=False).values_list("pk", flat=True))
    assert flagged == {on_time.pk}
    assert {paused.pk, finished.pk, not_received.pk}.isdisjoint(flagged)


@pytest.mark.parametrize("count", [2, 8])
def test_sweep_runs_a_fixed_number_of_queries(setting, count, django_assert_max_num_queries):
    procedure, staff = setting
    for _ in range(count):
        build("awaiting_approval", procedure, staff)
    # select, update, leaders, then 2 message rows for each of the 3 people concerned.
    with time_machine.travel(LATE, tick=False), django_assert_max_num_queries(3 + 2 * 3 + 2):
        assert dossiers_flag_overdue() == count
    sms = messages_to(staff.leader).get(channel="sms")
    assert str(count) in sms.body


def test_task_and_command_run_the_sweep(setting, capsys):
    procedure, staff = setting
    build("processing", procedure, staff)
    build("processing", procedure, staff)
    with time_machine.travel(LATE, tick=False):
        assert flag_overdue_dossiers.delay().get() == 2
        call_command("flag_overdue")
    assert "0 dossier(s)" in capsys.readouterr().out


def apologise(dossier, user, *, day=NEW_DAY, reason="Cần xác minh thêm tại địa phương"):
    with time_machine.travel(LATE, tick=False):
        return dossier_issue_apology(dossier_id=dossier.pk, user=user, new_due_at=day, reason=reason)


def test_apology_moves_the_appointment_tells_the_applicant_and_clears_the_flag(setting):
    procedure, staff = setting
    dossier = build("processing", procedure, staff)
    with time_machine.travel(LATE, tick=False):
        dossiers_flag_overdue()
    OutboundMessage.objects.all().delete()

    dossier = apologise(dossier, staff.receiver)
    assert dossier.status == "processing"
    assert dossier.due_at == datetime(2026, 11, 26, 17, 0, tzinfo=HCM)  # closing time that day
    assert dossier.overdue_flagged_at is None
    event = latest_apology(dossier)
    assert (event.from_status, event.to_status, event.actor) == ("processing", "processing", staff.receiver)
    assert event.public_note == "Cần xác minh thêm tại địa phương"
    assert datetime.fromisoformat(event.data["previous_due_at"]) == DUE
    sms = messages_to(dossier.applicant).get(channel="sms")
    assert "Cần xác minh thêm" in sms.body and "26/11/2026" in sms.body
    assert "Xin lỗi và hẹn lại ngày trả kết quả" in sms.body  # says what happened, not just the status
    assert messages_to(dossier.applicant).filter(channel="app").exists()

    # Missing the new date as well gets it flagged again.
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=HCM), tick=False):
        assert dossiers_flag_overdue() == 1


@pytest.mark.parametrize(
    ("day", "field"),
    [
        (date(2026, 11, 18), "new_due_at"),  # before the old appointment
        (date(2026, 11, 19), "new_due_at"),  # after the old appointment but already past
        (date(2026, 11, 21), "new_due_at"),  # a Saturday
        (date(2026, 11, 24), "new_due_at"),  # Vietnam Culture Day
        (None, "new_due_at"),
    ],
)
def test_apology_rejects_a_bad_new_date(setting, day, field):
    procedure, staff = setting
    dossier = build("processing", procedure, staff)
    with pytest.raises(ServiceError) as error:
        apologise(dossier, staff.processor, day=day)
    assert error.value.field == field
    dossier.refresh_from_db()
    assert dossier.due_at == DUE


def test_apology_needs_a_reason_and_an_official(setting):
    procedure, staff = setting
    dossier = build("processing", procedure, staff)
    with pytest.raises(ServiceError) as error:
        apologise(dossier, staff.processor, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(PermissionDeniedError):
        apologise(dossier, dossier.applicant)


def test_apology_only_once_late_or_about_to_be(setting):
    procedure, staff = setting
    dossier = build("processing", procedure, staff)
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=HCM), tick=False):
        assert not apology_open(dossier)
        with pytest.raises(ConflictError):
            dossier_issue_apology(dossier_id=dossier.pk, user=staff.receiver, new_due_at=NEW_DAY, reason="Lý do")
    with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=HCM), tick=False):
        assert apology_open(dossier)  # due tomorrow: the slip may go out before the date is missed
    with time_machine.travel(LATE, tick=False):
        assert apology_open(dossier)
        dossier_act(
            dossier_id=dossier.pk, user=staff.processor, action="request_supplement", data=ActionInput(reason="Thiếu")
        )
        dossier.refresh_from_db()
        assert not apology_open(dossier)  # waiting for the applicant: the clock is stopped
        with pytest.raises(ConflictError):
            dossier_issue_apology(dossier_id=dossier.pk, user=staff.receiver, new_due_at=NEW_DAY, reason="Lý do")


def test_apology_is_in_the_transition_table_for_officials_only():
    rows = workflow.transitions_for("issue_apology")
    assert {status for row in rows for status in row.sources} == {"processing", "awaiting_approval", "result_ready"}
    assert all(row.target in row.sources and "applicant" not in row.actors for row in rows)


def latest_apology(dossier):
    return dossier.events.filter(action="issue_apology").order_by("created_at", "id").last()


def apology_slip(dossier) -> PdfReader:
    """Form 04 of the dossier, as its page serves it."""
    with_history = selectors.dossier_with_history(Dossier.objects.filter(pk=dossier.pk)).get()
    paper = paperwork.form_pdf(paperwork.spec_for("04"), with_history, qr_url=paperwork.lookup_url(dossier.code))
    return PdfReader(io.BytesIO(paper.render()), strict=True)


def test_apology_slip_pdf_opens_with_the_dates_and_reason(setting):
    procedure, staff = setting
    dossier = apologise(build("processing", procedure, staff), staff.receiver)
    text = apology_slip(dossier).pages[0].extract_text()
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert dossier.code in text and dossier.applicant_name in text
    assert "26/11/2026" in text and "19/11/2026" in text
    assert "Cần xác minh thêm tại địa phương" in text


def test_apology_slip_prints_a_long_reason_whole_with_the_signer_and_the_notice(setting):
    procedure, staff = setting
    reason = (
        "Hồ sơ cần xác minh thêm nguồn gốc sử dụng đất tại địa phương và lấy ý kiến của các hộ liền kề; "
        "trong thời gian này cán bộ địa chính xã được điều động tham gia công tác phòng chống lụt bão."
    )
    dossier = apologise(build("processing", procedure, staff), staff.receiver, reason=reason)
    reader = apology_slip(dossier)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert " ".join(reason.split()) in text
    assert f"{dossier.agency.name} xin lỗi Ông/Bà và hẹn lại ngày trả kết quả" in text
    assert "Ngày 20 tháng 11 năm 2026" in text  # issued on the day the slip was made
    assert "CÁN BỘ LẬP PHIẾU" in text and staff.receiver.full_name in text
    assert "Bản mô phỏng — không có giá trị pháp lý." in text
