import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dossiers.models import Dossier, DossierEvent
from dossiers.views.office.dossier import ERR_TAKEN
from dossiers.views.office.queue import PAGE_SIZE
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from portal.notifications.models import OutboundMessage
from tests import factories
from tests.dossiers.builders import PDF_BYTES, Staff, attach, make_dossier

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
QUEUE = reverse("office:queue")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(dossier) -> str:
    return reverse("office:detail", args=[dossier.pk])


@pytest.fixture
def desk():
    """A procedure at one agency with its staff: dossiers built with make(status)."""
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    staff = Staff(procedure.agencies.first())

    def make(status, **kwargs):
        return make_dossier(status, procedure=procedure, staff=staff, **kwargs)

    make.procedure, make.staff = procedure, staff
    return make


def codes(response) -> list[str]:
    return [row["dossier"].code for row in response.context["rows"]]


# --- Access -----------------------------------------------------------------------------------------


def test_queue_needs_login_and_a_counter_role(citizen):
    assert Client().get(QUEUE).status_code == 302
    response = client_for(citizen).get(QUEUE)
    assert response.status_code == 403
    assert "Trang dành cho cán bộ một cửa" in response.content.decode()
    trainer = factories.make_official(role=Role.TRAINER)
    assert client_for(trainer).get(QUEUE).status_code == 403


def test_dossier_page_of_another_agency_is_not_found_and_the_applicant_is_forbidden(desk):
    dossier = desk("submitted")
    other_receiver = factories.make_official(role=Role.RECEIVER)
    assert client_for(other_receiver).get(detail_url(dossier)).status_code == 404
    assert client_for(other_receiver).post(detail_url(dossier), {"action": "receive"}).status_code == 404
    assert client_for(dossier.applicant).get(detail_url(dossier)).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == "submitted"


# --- The queue --------------------------------------------------------------------------------------


def test_queue_tabs_have_counts_and_list_only_this_agencys_dossiers(desk):
    submitted = [desk("submitted"), desk("submitted")]
    processing = desk("processing")
    desk("supplement_requested")
    desk("awaiting_approval")
    desk("result_ready")
    desk("completed")
    elsewhere = make_dossier("submitted")
    client = client_for(desk.staff.receiver)

    response = client.get(QUEUE)
    assert response.status_code == 200
    counts = {name: count for name, _label, count, _href in response.context["tabs"]}
    assert counts == {
        "": None,
        "new": 2,
        "processing": 1,
        "supplement": 1,
        "approval": 1,
        "result": 1,
        "overdue": 0,
    }
    assert elsewhere.code not in codes(response)
    page = response.content.decode()
    for label in ("Mới", "Đang xử lý", "Chờ bổ sung", "Chờ phê duyệt", "Có kết quả", "Quá hạn"):
        assert label in page

    new = client.get(QUEUE, {"tab": "new"})
    assert sorted(codes(new)) == sorted(d.code for d in submitted)
    assert codes(client.get(QUEUE, {"tab": "processing"})) == [processing.code]


def test_queue_search_by_code_or_applicant_name(desk):
    first, second = desk("submitted"), desk("submitted")
    client = client_for(desk.staff.receiver)
    assert codes(client.get(QUEUE, {"search": second.code})) == [second.code]
    assert codes(client.get(QUEUE, {"search": first.applicant_name})) == [first.code]
    assert codes(client.get(QUEUE, {"search": "không có ai tên này"})) == []


def test_queue_filters_assignee_and_due_soon(desk):
    # Received on Monday 16/11/2026 at 9:00 with 3 working days: due Thursday at 9:00.
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=HCM), tick=False):
        mine = desk("awaiting_approval")  # assigned to the processor by the builder
        unassigned = desk("processing")
    client = client_for(desk.staff.processor)
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=HCM), tick=False):
        assert codes(client.get(QUEUE, {"assignee": "me"})) == [mine.code]
        assert codes(client.get(QUEUE, {"assignee": "none", "tab": "processing"})) == [unassigned.code]
        assert codes(client.get(QUEUE, {"due_soon": "on"})) == []
    with time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=HCM), tick=False):
        soon = client.get(QUEUE, {"due_soon": "on"})
        assert set(codes(soon)) == {mine.code, unassigned.code}
        assert "Sắp đến hạn" in soon.content.decode()
        assert codes(client.get(QUEUE, {"due_soon": "on", "assignee": "me"})) == [mine.code]


def test_queue_shows_the_overdue_badge_and_tab(desk):
    late = desk("processing")
    with time_machine.travel(late.due_at.astimezone(HCM).replace(hour=23), tick=False):
        response = client_for(desk.staff.receiver).get(QUEUE, {"tab": "overdue"})
    assert codes(response) == [late.code]
    assert "badge-overdue" in response.content.decode()


@pytest.mark.parametrize("count", [5, 40])
def test_queue_runs_a_fixed_number_of_queries(desk, count, django_assert_max_num_queries):
    for _ in range(count):
        desk("awaiting_approval")
    client = client_for(desk.staff.receiver)
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == min(count, PAGE_SIZE)
    with django_assert_max_num_queries(12):
        client.get(QUEUE, {"tab": "approval", "search": "Nguyễn", "assignee": "none", "page": 2})


def test_an_official_of_several_agencies_picks_one(desk):
    official = desk.staff.receiver
    second = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    StaffRole.objects.create(user=official, role=Role.RECEIVER, agency=second.agencies.first())
    here = desk("submitted")
    there = make_dossier("submitted", procedure=second)
    client = client_for(official)

    picker = client.get(QUEUE)
    assert picker.status_code == 200
    assert "Chọn cơ quan làm việc" in picker.content.decode()

    assert client.get(QUEUE, {"agency": second.agencies.first().code}).status_code == 302
    response = client.get(QUEUE)
    assert codes(response) == [there.code]
    counts = {name: count for name, _label, count, _href in response.context["tabs"]}
    assert counts["new"] == 1
    client.get(QUEUE, {"agency": here.agency.code})
    assert codes(client.get(QUEUE)) == [here.code]
    assert client.get(QUEUE, {"agency": "không-phải-của-tôi"}).status_code == 404


# --- A dossier's page ---------------------------------------------------------------------------------


def test_dossier_page_shows_form_data_attachments_and_the_internal_timeline(desk):
    dossier = desk("processing")
    attach(dossier, "giay-to-khac")
    client = client_for(desk.staff.receiver)
    client.post(
        detail_url(dossier),
        {"action": "assign", "assign-assignee": desk.staff.processor.pk, "assign-note": "Ưu tiên xử lý sớm"},
    )
    response = client.get(detail_url(dossier))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lý do" in page and "Cần giấy tờ để bổ sung hồ sơ xin việc" in page
    for attachment in dossier.attachments.all():
        assert reverse("dossier_files:attachment", args=[attachment.pk]) in page
    assert "Ưu tiên xử lý sớm" in page and "Nội bộ" in page
    assert desk.staff.receiver.full_name in page
    assert "Tiếp nhận hồ sơ" in page and "Phân công xử lý" in page
    assert "<strong>Nộp hồ sơ</strong>" in page and "chờ thanh toán" not in page  # the row the event took
    assert reverse("office:form", args=[dossier.pk, "01"]) in page
    assert reverse("office:form", args=[dossier.pk, "05"]) in page


def test_dossier_page_offers_only_the_actions_the_caller_may_take(desk):
    dossier = desk("awaiting_approval")

    def actions(user):
        return [form.transition.action for form in client_for(user).get(detail_url(dossier)).context["action_forms"]]

    assert actions(desk.staff.approver) == ["approve", "return", "refuse"]
    assert actions(desk.staff.processor) == []


def post_action(client, dossier, action, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(detail_url(dossier), data)


def test_receive_then_request_supplement(desk):
    dossier = desk("submitted")
    client = client_for(desk.staff.receiver)
    response = post_action(client, dossier, "receive")
    assert response.status_code == 302 and response["Location"] == detail_url(dossier)
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.due_at
    followed = client.get(detail_url(dossier))
    assert "Đã thực hiện “Tiếp nhận hồ sơ”" in followed.content.decode()

    missing = post_action(client, dossier, "request_supplement", reason="")
    assert missing.status_code == 400
    assert "Cần nêu lý do." in missing.content.decode()
    post_action(client, dossier, "request_supplement", reason="Bổ sung bản sao giấy khai sinh")
    dossier.refresh_from_db()
    assert dossier.status == "supplement_requested"
    assert dossier.events.last().public_note == "Bổ sung bản sao giấy khai sinh"


def test_reject_with_a_reason(desk):
    dossier = desk("submitted")
    post_action(client_for(desk.staff.receiver), dossier, "reject", reason="Không thuộc thẩm quyền")
    dossier.refresh_from_db()
    assert dossier.status == "rejected"


def test_assign_forward_approve_with_a_file(desk):
    dossier = desk("processing")
    receiver, processor, approver = desk.staff.receiver, desk.staff.processor, desk.staff.approver
    page = client_for(receiver).get(detail_url(dossier)).content.decode()
    assert processor.full_name in page  # the assignee <select> lists the agency's processors

    wrong = post_action(client_for(receiver), dossier, "assign", assignee=receiver.pk)
    assert wrong.status_code == 400
    post_action(client_for(receiver), dossier, "assign", assignee=processor.pk)
    post_action(client_for(processor), dossier, "forward", note="Đủ điều kiện")
    dossier.refresh_from_db()
    assert (dossier.assignee, dossier.status) == (processor, "awaiting_approval")

    no_file = post_action(client_for(approver), dossier, "approve")
    assert no_file.status_code == 400
    upload = SimpleUploadedFile("ket-qua.pdf", PDF_BYTES, content_type="application/pdf")
    response = post_action(client_for(approver), dossier, "approve", file=upload)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "result_ready" and dossier.result_file
    assert (
        reverse("dossier_files:result", args=[dossier.pk])
        in client_for(approver).get(detail_url(dossier)).content.decode()
    )


def test_approve_rejects_a_file_that_is_not_a_pdf(desk):
    dossier = desk("awaiting_approval")
    upload = SimpleUploadedFile("ket-qua.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = post_action(client_for(desk.staff.approver), dossier, "approve", file=upload)
    assert response.status_code == 400
    assert response.context["action_forms"][0].errors["file"]
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_approval"


def test_return_keeps_the_reason_internal_and_refuse_ends_it(desk):
    returned = desk("awaiting_approval")
    post_action(client_for(desk.staff.approver), returned, "return", reason="Thiếu ý kiến phòng chuyên môn")
    returned.refresh_from_db()
    event = returned.events.last()
    assert returned.status == "processing"
    assert (event.public_note, event.internal_note) == ("", "Thiếu ý kiến phòng chuyên môn")

    refused = desk("awaiting_approval")
    post_action(client_for(desk.staff.approver), refused, "refuse", reason="Không đủ điều kiện cấp")
    refused.refresh_from_db()
    assert refused.status == "refused"


def test_counter_payment_is_prefilled_with_what_is_owed_then_hand_over():
    dossier = make_dossier(
        "result_ready", procedure=factories.ProcedureFactory(agencies=[factories.AgencyFactory()], fee=30000)
    )
    assert dossier.amount_due == 30000 and dossier.amount_paid == 0
    client = client_for(dossier.staff.receiver)
    page = client.get(detail_url(dossier))
    forms = {f.transition.action: f for f in page.context["action_forms"]}
    assert "hand_over" not in forms  # the fee comes first
    assert forms["record_counter_payment"].fields["amount"].initial == 30000

    too_much = post_action(client, dossier, "record_counter_payment", amount=50000)
    assert too_much.status_code == 400 and "không vượt quá" in too_much.content.decode()
    post_action(client, dossier, "record_counter_payment", amount=30000)
    post_action(client, dossier, "hand_over")
    dossier.refresh_from_db()
    assert (dossier.amount_paid, dossier.status) == (30000, "completed")


def test_an_action_someone_else_already_took_is_a_clear_conflict(desk):
    dossier = desk("submitted")
    other = factories.make_official(role=Role.RECEIVER, agency=dossier.agency)
    assert post_action(client_for(other), dossier, "receive").status_code == 302
    response = post_action(client_for(desk.staff.receiver), dossier, "receive")
    assert response.status_code == 409
    assert str(ERR_TAKEN) in response.content.decode()
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").count() == 1


def test_unknown_or_not_permitted_actions(desk):
    dossier = desk("submitted")
    client = client_for(desk.staff.processor)
    assert post_action(client, dossier, "nonsense").status_code == 400
    assert post_action(client, dossier, "withdraw", reason="x").status_code == 400
    forbidden = post_action(client, dossier, "receive")
    assert forbidden.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == "submitted"


def test_receipt_pdf_from_the_office_page(desk):
    dossier = desk("processing")
    response = client_for(desk.staff.processor).get(reverse("office:receipt", args=[dossier.pk]), follow=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert dossier.code in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert Client().get(reverse("office:form", args=[dossier.pk, "01"])).status_code == 302  # to the login


# --- The apology slip --------------------------------------------------------------------------------


def test_apology_slip_through_the_page(desk):
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=HCM), tick=False):
        dossier = desk("processing")
    client = client_for(desk.staff.processor)
    slip_url = reverse("office:form", args=[dossier.pk, "04"])
    with time_machine.travel(datetime(2026, 11, 17, 9, 0, tzinfo=HCM), tick=False):
        early = client.get(detail_url(dossier)).context["action_forms"]
        assert "issue_apology" not in [f.transition.action for f in early]
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=HCM), tick=False):
        page = client.get(detail_url(dossier))
        assert "issue_apology" in [f.transition.action for f in page.context["action_forms"]]
        assert client.get(slip_url)["Location"] == detail_url(dossier)  # no slip yet: back, with the reason
        weekend = post_action(client, dossier, "issue_apology", reason="Chờ xác minh", new_due_at="2026-11-21")
        assert weekend.status_code == 400 and "ngày làm việc" in weekend.content.decode()
        OutboundMessage.objects.all().delete()
        done = post_action(
            client, dossier, "issue_apology", reason="Chờ xác minh của công an xã", new_due_at="2026-11-26"
        )
        assert done.status_code == 302
        dossier.refresh_from_db()
        assert dossier.due_at == datetime(2026, 11, 26, 17, 0, tzinfo=HCM)
        assert OutboundMessage.objects.filter(user=dossier.applicant, channel="sms").exists()
        page = client.get(detail_url(dossier)).content.decode()
        assert slip_url in page and "26/11/2026" in page

    for user in (desk.staff.processor, dossier.applicant):
        response = client_for(user).get(slip_url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content), strict=True).pages[0].extract_text()
        assert "PHIẾU XIN LỖI" in text and "Chờ xác minh của công an xã" in text
    assert client_for(factories.CitizenFactory()).get(slip_url).status_code == 404


# --- Counter intake ----------------------------------------------------------------------------------

COUNTER = reverse("office:counter_new")


def counter_data(procedure, **overrides):
    data = {
        "procedure": procedure.code,
        "applicant-applicant_full_name": "Trần Thị Cụ",
        "applicant-applicant_national_id": "030150001234",
        "applicant-applicant_phone": "0912345678",
        "applicant-channel": "counter",
        "applicant-on_behalf_note": "Người cao tuổi, cán bộ nhập thay",
        "ly_do": "Làm thủ tục hưởng trợ cấp",
        "delivery-delivery_method": "counter",
    }
    data.update(overrides)
    return data


def test_counter_intake_registers_a_paper_dossier_received_at_once(desk):
    client = client_for(desk.staff.receiver)
    picker = client.get(COUNTER)
    assert picker.status_code == 200 and desk.procedure.code in picker.content.decode()
    form_page = client.get(COUNTER, {"procedure": desk.procedure.code})
    assert 'name="ly_do"' in form_page.content.decode()

    response = client.post(f"{COUNTER}?procedure={desk.procedure.code}", counter_data(desk.procedure))
    dossier = Dossier.objects.get(applicant_id_number="030150001234")
    assert response.status_code == 302 and response["Location"] == detail_url(dossier)
    assert dossier.status == "processing" and dossier.channel == "counter"
    assert dossier.received_at and dossier.due_at and dossier.code
    assert dossier.registered_by == desk.staff.receiver
    assert dossier.on_behalf_note == "Người cao tuổi, cán bộ nhập thay"
    landing = client.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận hồ sơ" in landing and dossier.code in landing


def test_counter_intake_shows_errors_next_to_the_fields(desk):
    client = client_for(desk.staff.receiver)
    data = counter_data(desk.procedure, ly_do="", **{"applicant-applicant_national_id": "123"})
    response = client.post(COUNTER, data)
    assert response.status_code == 400
    assert response.context["applicant"].errors["applicant_national_id"]
    assert "ly_do" not in response.context["eform"].errors  # the service has not run yet
    response = client.post(COUNTER, counter_data(desk.procedure, ly_do=""))
    assert response.status_code == 400
    assert response.context["eform"].errors["ly_do"]
    assert not Dossier.objects.exists()
    postal = counter_data(desk.procedure, **{"delivery-delivery_method": "postal", "applicant-channel": "postal"})
    response = client.post(COUNTER, postal)
    assert response.status_code == 400
    assert response.context["delivery"].errors["province"]


def test_counter_intake_is_for_receivers(desk):
    response = client_for(desk.staff.processor).get(COUNTER)
    assert response.status_code == 403
    assert "Chỉ cán bộ tiếp nhận" in response.content.decode()
