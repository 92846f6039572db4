"""The citizen's dossier pages through the Django test client: wizard, lists, dossier page, lookup."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen import canvas

from dossiers.constants import DossierStatus
from dossiers.forms.schema import form_for_schema
from dossiers.models import Dossier, Rating
from dossiers.services.drafts import dossier_create_draft
from portal.accounts.services import profile_update
from portal.notifications.services import message_send
from procedures.constants import OnlineLevel
from tests import factories
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db

SCHEMA = {
    "type": "object",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ và tên", "minLength": 2, "maxLength": 100},
        "so_dinh_danh": {"type": "string", "title": "Số định danh", "pattern": "^\\d{12}$"},
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "so_ban": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 10},
        "dong_y": {"type": "boolean", "title": "Đồng ý công khai"},
        "ghi_chu": {"type": "string", "title": "Ghi chú", "maxLength": 1000, "description": "Không bắt buộc"},
    },
    "required": ["ho_ten", "so_dinh_danh", "ngay_sinh", "so_ban"],
}


def pdf_upload(name="to-khai.pdf"):
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, "To khai thu nghiem")
    sheet.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def web(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def wizard_procedure(agency):
    return factories.ProcedureFactory(
        agencies=[agency, factories.AgencyFactory()], form_schema=SCHEMA, fee=30000, online_level=OnlineLevel.LEVEL_3
    )


def page_text(response) -> str:
    return response.content.decode()


# --- The e-form builder -------------------------------------------------------------------------


def test_schema_form_renders_each_type_with_labels_and_required_marks():
    form = form_for_schema(SCHEMA)
    html = str(form["ngay_sinh"]) + str(form["gioi_tinh"]) + str(form["so_ban"]) + str(form["ghi_chu"])

    assert form.fields["ho_ten"].label == "Họ và tên"
    assert 'type="date"' in html
    assert "<select" in html and '<option value="Nữ">Nữ</option>' in html
    assert 'type="number"' in html and 'min="1"' in html and 'max="10"' in html
    assert "<textarea" in html
    assert form.fields["ho_ten"].marked_required and not form.fields["ghi_chu"].marked_required
    assert form.fields["ghi_chu"].help_text == "Không bắt buộc"
    # The services decide what is required, so a draft can be saved half-filled.
    assert not any(field.required for field in form.fields.values())


def test_schema_form_answers_keep_types_and_leave_out_blank_required_fields():
    form = form_for_schema(
        SCHEMA, data={"ho_ten": " Lê Thị Hoa ", "so_dinh_danh": "", "so_ban": "2", "dong_y": "on", "ghi_chu": ""}
    )

    assert form.is_valid(), form.errors
    assert form.answers() == {"ho_ten": "Lê Thị Hoa", "so_ban": 2, "dong_y": True, "gioi_tinh": "", "ghi_chu": ""}


# --- Starting from the catalog ------------------------------------------------------------------


def test_procedure_page_offers_online_submission_only_from_level_3(client, agency):
    online = factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_3)
    info_only = factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_2)

    online_page = page_text(client.get(reverse("procedures:detail", args=[online.code])))
    info_page = page_text(client.get(reverse("procedures:detail", args=[info_only.code])))

    assert reverse("dossiers:new", args=[online.code]) in online_page
    assert reverse("dossiers:new", args=[info_only.code]) not in info_page
    assert "mức độ 2 chỉ cung cấp thông tin" in info_page


def test_new_dossier_needs_login(client, procedure):
    response = client.get(reverse("dossiers:new", args=[procedure.code]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_level_2_procedure_explains_it_is_information_only(web, agency):
    info_only = factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_2)

    response = web.post(reverse("dossiers:new", args=[info_only.code]), {"agency": agency.code})

    assert response.status_code == 200
    assert "chưa nộp hồ sơ trực tuyến được" in page_text(response)
    assert not Dossier.objects.exists()


# --- The whole journey --------------------------------------------------------------------------


def test_citizen_journey_through_the_wizard(web, citizen, wizard_procedure, agency):
    start = web.get(reverse("dossiers:new", args=[wizard_procedure.code]))
    assert "<select" in page_text(start)  # two agencies: the citizen picks one

    response = web.post(reverse("dossiers:new", args=[wizard_procedure.code]), {"agency": agency.code})
    dossier = Dossier.objects.get(applicant=citizen)
    assert response.url == reverse("dossiers:edit", args=[dossier.pk])
    assert dossier.status == DossierStatus.DRAFT and dossier.agency == agency

    form_page = page_text(web.get(response.url))
    assert "Bước 1/4" in form_page and 'aria-current="step"' in form_page
    assert f'value="{citizen.full_name}"' in form_page  # pre-filled from the account

    answers = {"ho_ten": "Lê Thị Hoa", "so_dinh_danh": "12345", "ngay_sinh": "1990-05-01", "so_ban": "2"}
    bad = web.post(response.url, {**answers, "intent": "next"})
    assert bad.status_code == 200
    assert "Trường &#x27;Số định danh&#x27; không đúng định dạng" in page_text(bad)
    dossier.refresh_from_db()
    assert dossier.form_data == {}

    fixed = web.post(response.url, {**answers, "so_dinh_danh": "001090123456", "intent": "next"})
    assert fixed.url == reverse("dossiers:edit-step", args=[dossier.pk, "attachments"])
    dossier.refresh_from_db()
    assert dossier.form_data["so_dinh_danh"] == "001090123456" and dossier.form_data["so_ban"] == 2

    attachments_page = page_text(web.get(fixed.url))
    assert 'accept=".pdf,application/pdf,.jpg,image/jpeg,.jpeg,.png,image/png"' in attachments_page
    assert "tối đa 10,0" in attachments_page or "tối đa 10.0" in attachments_page
    missing = web.post(fixed.url, {"intent": "next"})
    assert "Còn thiếu giấy tờ bắt buộc: Tờ khai" in page_text(missing)

    upload = web.post(
        reverse("dossiers:attachment-upload", args=[dossier.pk]),
        {"document": "to-khai", "file": pdf_upload(), "next": fixed.url},
    )
    assert upload.status_code == 302
    listed = page_text(web.get(fixed.url))
    attachment = dossier.attachments.get()
    assert "to-khai.pdf" in listed and reverse("dossier_files:attachment", args=[attachment.pk]) in listed

    delivery_url = web.post(fixed.url, {"intent": "next"}).url
    assert delivery_url == reverse("dossiers:edit-step", args=[dossier.pk, "delivery"])
    no_address = web.post(delivery_url, {"delivery_method": "postal", "province": "Hải Phòng", "intent": "next"})
    assert "Cần nhập xã/phường để nhận kết quả qua bưu chính." in page_text(no_address)
    address = {"province": "Hải Phòng", "commune": "Phường Trần Hưng Đạo", "street": "12 Quang Trung"}
    review_url = web.post(delivery_url, {"delivery_method": "postal", **address, "intent": "next"}).url
    assert review_url == reverse("dossiers:edit-step", args=[dossier.pk, "review"])

    review = page_text(web.get(review_url))
    assert "Lê Thị Hoa" in review and "12 Quang Trung" in review and "30.000" in review
    assert "Hồ sơ chưa nộp được" not in review

    submitted = web.post(reverse("dossiers:submit", args=[dossier.pk]), follow=True)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.code
    body = page_text(submitted)
    assert f"Mã hồ sơ của bạn: {dossier.code}" in body
    # Form 01, the receipt and appointment, comes once the agency has received the dossier.
    assert reverse("dossiers:form", args=[dossier.pk, "01"]) not in body


def test_save_draft_keeps_the_citizen_on_the_step_and_resumes_later(web, citizen, wizard_procedure, agency):
    dossier = dossier_create_draft(
        applicant=citizen, procedure_code=wizard_procedure.code, agency_code=agency.code, partial=True
    )
    url = reverse("dossiers:edit", args=[dossier.pk])

    response = web.post(url, {"ho_ten": "Trần Văn Nam", "intent": "save"}, follow=True)

    assert response.redirect_chain[-1][0] == url
    assert "Đã lưu nháp" in page_text(response)
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten"] == "Trần Văn Nam"
    listed = page_text(web.get(reverse("dossiers:list")))
    assert "Tiếp tục soạn" in listed and url in listed


def test_submit_with_missing_papers_goes_back_to_review_with_the_reason(web, citizen):
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    dossier = make_dossier("draft", procedure=procedure, applicant=citizen)
    dossier.attachments.all().delete()

    response = web.post(reverse("dossiers:submit", args=[dossier.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("dossiers:edit-step", args=[dossier.pk, "review"])
    assert "Thiếu giấy tờ bắt buộc: Tờ khai." in page_text(response)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_a_rejected_upload_is_shown_beside_its_document_and_stores_nothing(web, citizen):
    dossier = make_dossier("draft", applicant=citizen)
    step = reverse("dossiers:edit-step", args=[dossier.pk, "attachments"])
    executable = SimpleUploadedFile("giay.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")

    response = web.post(
        reverse("dossiers:attachment-upload", args=[dossier.pk]),
        {"document": "giay-to-khac", "file": executable, "next": step},
        follow=True,
    )

    body = page_text(response)
    assert 'id="file-giay-to-khac-error"' in body
    assert "chương trình máy tính" in body
    assert not dossier.attachments.filter(document__key="giay-to-khac").exists()


def test_upload_without_a_csrf_token_is_refused(citizen):
    from django.test import Client

    dossier = make_dossier("draft", applicant=citizen)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)

    response = strict.post(
        reverse("dossiers:attachment-upload", args=[dossier.pk]), {"document": "to-khai", "file": pdf_upload()}
    )

    assert response.status_code == 403
    assert dossier.attachments.count() == 1  # only the one make_dossier attached


def test_a_file_from_an_earlier_dossier_can_be_reused(web, citizen):
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    earlier = make_dossier("submitted", procedure=procedure, applicant=citizen)
    source = earlier.attachments.get(document__key="to-khai")
    draft = make_dossier("draft", procedure=procedure, applicant=citizen)
    draft.attachments.all().delete()
    step = reverse("dossiers:edit-step", args=[draft.pk, "attachments"])

    page = page_text(web.get(step))
    assert f'<option value="{source.pk}">' in page and earlier.code in page

    web.post(
        reverse("dossiers:attachment-reuse", args=[draft.pk]),
        {"document": "to-khai", "source_attachment": source.pk, "next": step},
    )
    copy = draft.attachments.get()
    assert copy.original_name == source.original_name and copy.pk != source.pk


def test_someone_elses_file_cannot_be_reused(web, citizen):
    stranger_file = make_dossier("submitted").attachments.first()
    draft = make_dossier("draft", applicant=citizen)
    draft.attachments.all().delete()

    response = web.post(
        reverse("dossiers:attachment-reuse", args=[draft.pk]),
        {"document": "to-khai", "source_attachment": stranger_file.pk},
        follow=True,
    )

    assert "Không tìm thấy tệp đã nộp trước đây" in page_text(response)
    assert not draft.attachments.exists()


# --- My dossiers, notices -----------------------------------------------------------------------


def test_my_dossiers_lists_status_and_codes_in_bounded_queries(web, citizen, django_assert_max_num_queries):
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    make_dossier("submitted", procedure=procedure, applicant=citizen)
    with django_assert_max_num_queries(8):
        web.get(reverse("dossiers:list"))
    for _ in range(6):
        make_dossier("draft", applicant=citizen)
    make_dossier("submitted")  # someone else's

    with django_assert_max_num_queries(8):
        response = web.get(reverse("dossiers:list"))

    body = page_text(response)
    assert body.count('class="badge badge-status') == 7
    assert "Đã nộp, chờ tiếp nhận" in body and "Bản nháp" in body


def test_my_dossiers_paginates(web, citizen):
    for _ in range(21):
        Dossier.objects.create(
            procedure=factories.ProcedureFactory(), agency=factories.AgencyFactory(), applicant=citizen
        )

    first, second = web.get(reverse("dossiers:list")), web.get(reverse("dossiers:list") + "?page=2")

    assert "Trang 1 / 2" in page_text(first)
    assert page_text(second).count('class="badge badge-status') == 1


def test_a_withdrawn_draft_leaves_the_list(web, citizen):
    dossier = make_dossier("draft", applicant=citizen)
    url = reverse("dossiers:withdraw", args=[dossier.pk])
    assert "Không tiếp tục nộp hồ sơ này." in page_text(web.get(url))

    unconfirmed = web.post(url, {"reason": "Không cần nữa"})
    assert "Hãy đánh dấu xác nhận để rút hồ sơ." in page_text(unconfirmed)

    response = web.post(url, {"reason": "Không cần nữa", "confirm": "on"}, follow=True)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert "Đã hủy bản nháp." in page_text(response)
    assert reverse("dossiers:edit", args=[dossier.pk]) not in page_text(response)


def test_notices_show_only_my_in_app_messages_newest_first(web, citizen, django_assert_max_num_queries):
    other = factories.CitizenFactory()
    message_send(channel="app", recipient=f"user:{citizen.pk}", subject="Cũ", body="Thông báo thứ nhất", user=citizen)
    message_send(channel="app", recipient=f"user:{citizen.pk}", subject="Mới", body="Thông báo thứ hai", user=citizen)
    message_send(channel="sms", recipient=citizen.phone, body="Tin nhắn SMS", user=citizen)
    message_send(channel="app", recipient=f"user:{other.pk}", body="Của người khác", user=other)

    with django_assert_max_num_queries(6):
        body = page_text(web.get(reverse("dossiers:notices")))

    assert body.index("Thông báo thứ hai") < body.index("Thông báo thứ nhất")
    assert "Tin nhắn SMS" not in body and "Của người khác" not in body


# --- A dossier's page ---------------------------------------------------------------------------


def test_dossier_page_shows_status_timeline_answers_and_receipt(web, citizen):
    dossier = make_dossier("processing", applicant=citizen)

    body = page_text(web.get(reverse("dossiers:detail", args=[dossier.pk])))

    assert dossier.code in body and "Đang xử lý" in body
    assert "Tiếp nhận hồ sơ" in body and "Nộp hồ sơ" in body  # timeline action labels
    assert "chờ thanh toán" not in body  # a submission with no online fee is labelled as such
    assert "Cần giấy tờ để bổ sung hồ sơ xin việc" in body  # a form answer
    assert reverse("dossiers:form", args=[dossier.pk, "01"]) in body
    assert dossier.due_at.astimezone().strftime("%d/%m/%Y") in body or "Ngày hẹn trả" in body
    assert reverse("dossiers:withdraw", args=[dossier.pk]) not in body  # received: no withdrawal


def test_internal_notes_stay_off_the_citizens_page(web, citizen):
    from dossiers.services.review import ActionInput, dossier_act

    dossier = make_dossier("processing", applicant=citizen)
    dossier_act(
        dossier_id=dossier.pk,
        user=dossier.staff.receiver,
        action="assign",
        data=ActionInput(assignee_id=dossier.staff.processor.pk, note="Ghi chú nội bộ bí mật"),
    )

    assert "Ghi chú nội bộ bí mật" not in page_text(web.get(reverse("dossiers:detail", args=[dossier.pk])))


@pytest.mark.parametrize("name", ["detail", "edit", "receipt", "withdraw"])
def test_another_citizens_dossier_is_not_found(web, name):
    stranger = make_dossier("submitted" if name != "edit" else "draft")

    # The receipt's former address leads to form 01, which is not found either.
    assert web.get(reverse(f"dossiers:{name}", args=[stranger.pk]), follow=True).status_code == 404


def test_another_citizens_draft_cannot_be_submitted_or_uploaded_to(web):
    stranger = make_dossier("draft")

    assert web.post(reverse("dossiers:submit", args=[stranger.pk])).status_code == 404
    upload = web.post(
        reverse("dossiers:attachment-upload", args=[stranger.pk]), {"document": "to-khai", "file": pdf_upload()}
    )
    assert upload.status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == DossierStatus.DRAFT and stranger.attachments.count() == 1


def test_supplement_flow_uploads_and_sends(web, citizen):
    dossier = make_dossier("supplement_requested", applicant=citizen)
    detail = reverse("dossiers:detail", args=[dossier.pk])
    body = page_text(web.get(detail))
    assert "Cơ quan yêu cầu bổ sung hồ sơ" in body and "Lý do thử nghiệm" in body
    assert 'type="file"' in body

    web.post(
        reverse("dossiers:attachment-upload", args=[dossier.pk]),
        {"document": "giay-to-khac", "file": pdf_upload("bo-sung.pdf"), "next": detail},
    )
    response = web.post(reverse("dossiers:supplement", args=[dossier.pk]), {"note": "Đã bổ sung"}, follow=True)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.attachments.filter(document__key="giay-to-khac").exists()
    assert "Đã gửi hồ sơ bổ sung" in page_text(response)


def test_withdrawing_a_submitted_dossier_needs_a_reason(web, citizen):
    dossier = make_dossier("submitted", applicant=citizen)
    url = reverse("dossiers:withdraw", args=[dossier.pk])
    assert url in page_text(web.get(reverse("dossiers:detail", args=[dossier.pk])))

    empty = web.post(url, {"reason": "", "confirm": "on"})
    assert "Cần nêu lý do." in page_text(empty)
    web.post(url, {"reason": "Đã làm ở nơi khác", "confirm": "on"})

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert dossier.events.last().public_note == "Đã làm ở nơi khác"


def test_result_download_and_rating_once_completed(web, citizen):
    dossier = make_dossier("completed", applicant=citizen)
    detail = reverse("dossiers:detail", args=[dossier.pk])
    body = page_text(web.get(detail))
    assert reverse("dossier_files:result", args=[dossier.pk]) in body
    assert 'type="radio" name="score" value="5"' in body

    no_score = web.post(reverse("dossiers:rate", args=[dossier.pk]), {"comment": "?"})
    assert "Hãy chọn một mức từ 1 đến 5." in page_text(no_score)
    web.post(reverse("dossiers:rate", args=[dossier.pk]), {"score": "4", "comment": "Nhanh"})
    again = web.post(reverse("dossiers:rate", args=[dossier.pk]), {"score": "1"}, follow=True)

    rating = Rating.objects.get(dossier=dossier)
    assert (rating.score, rating.comment) == (4, "Nhanh")
    assert "Hồ sơ này đã được đánh giá." in page_text(again)
    assert "Bạn đã đánh giá 4/5." in page_text(again)


def test_rating_is_not_offered_before_completion(web, citizen):
    dossier = make_dossier("processing", applicant=citizen)

    assert 'name="score"' not in page_text(web.get(reverse("dossiers:detail", args=[dossier.pk])))
    web.post(reverse("dossiers:rate", args=[dossier.pk]), {"score": "5"})
    assert not Rating.objects.exists()


def test_a_draft_page_resumes_the_wizard(web, citizen):
    dossier = make_dossier("draft", applicant=citizen)

    response = web.get(reverse("dossiers:detail", args=[dossier.pk]))

    assert response.url == reverse("dossiers:edit", args=[dossier.pk])


def test_a_submitted_dossier_cannot_be_edited(web, citizen):
    dossier = make_dossier("submitted", applicant=citizen)

    response = web.post(reverse("dossiers:edit", args=[dossier.pk]), {"ly_do": "Sửa sau khi nộp"})

    assert response.url == reverse("dossiers:detail", args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.form_data["ly_do"] != "Sửa sau khi nộp"


# --- Public lookup ------------------------------------------------------------------------------


def test_lookup_with_the_right_pair_shows_status_without_personal_data(client):
    dossier = make_dossier("processing")
    url = reverse("dossiers:lookup")

    body = page_text(client.post(url, {"code": dossier.code, "id_last4": dossier.applicant_id_number[-4:]}))

    assert dossier.procedure.name in body and "Đang xử lý" in body and "Tiếp nhận hồ sơ" in body
    assert dossier.applicant_name not in body and dossier.applicant_id_number not in body
    assert "Cần giấy tờ để bổ sung hồ sơ xin việc" not in body


def test_lookup_by_phone_digits_works_too(client):
    dossier = make_dossier("submitted")

    body = page_text(
        client.post(reverse("dossiers:lookup"), {"code": dossier.code, "id_last4": dossier.applicant_phone[-4:]})
    )

    assert "Đã nộp, chờ tiếp nhận" in body


@pytest.mark.parametrize("wrong", ["wrong-digits", "wrong-code"])
def test_lookup_with_a_wrong_pair_says_not_found_the_same_way(client, wrong):
    dossier = make_dossier("submitted")
    digits = "0000" if dossier.applicant_id_number[-4:] != "0000" else "1111"
    data = (
        {"code": dossier.code, "id_last4": digits}
        if wrong == "wrong-digits"
        else {"code": "000.00.00.H00-000000-0000", "id_last4": dossier.applicant_id_number[-4:]}
    )

    body = page_text(client.post(reverse("dossiers:lookup"), data))

    assert "Không tìm thấy hồ sơ với mã và 4 số cuối đã nhập." in body
    assert dossier.procedure.name not in body


def test_lookup_is_throttled_with_the_api_budget(client, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"lookup": "2/min"})
    data = {"code": "X", "id_last4": "1234"}

    statuses = [client.post(reverse("dossiers:lookup"), data).status_code for _ in range(3)]
    api = client.get(reverse("dossiers-api:lookup"), data)
    cache.clear()

    assert statuses == [200, 200, 429]
    assert api.status_code == 429  # the page and the API draw on one budget per client


def test_lookup_form_checks_four_digits(client):
    body = page_text(client.post(reverse("dossiers:lookup"), {"code": "ABC", "id_last4": "12a"}))

    assert "Nhập đúng 4 chữ số." in body


def test_dossier_awaiting_payment_links_to_the_payment_page(client):
    from procedures.constants import OnlineLevel

    agency = factories.AgencyFactory()
    level4 = factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_4, fee=50_000)
    dossier = make_dossier("submitted", procedure=level4)
    assert dossier.status == "awaiting_payment"
    client.force_login(dossier.applicant)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert f'href="/payments/dossier/{dossier.pk}/"' in page


def test_the_delivery_step_picks_the_address_from_lists_without_javascript(web, citizen, wizard_procedure, agency):
    dossier = dossier_create_draft(
        applicant=citizen, procedure_code=wizard_procedure.code, agency_code=agency.code, partial=True
    )
    delivery_url = reverse("dossiers:edit-step", args=[dossier.pk, "delivery"])
    blank = web.get(delivery_url)
    form = blank.context["form"]
    assert ("Thành phố Hà Nội", "Thành phố Hà Nội") in form.fields["province"].widget.choices
    assert form.initial["recipient_name"] == citizen.full_name and form.initial["recipient_phone"] == citizen.phone

    chosen = {"delivery_method": "postal", "province": "Thành phố Hà Nội", "street": "1 Hàng Bài"}
    refreshed = web.post(delivery_url, {**chosen, "intent": "communes"})
    communes = [value for value, _label in refreshed.context["form"].fields["commune"].widget.choices]
    assert "Phường Hoàn Kiếm" in communes and "Phường Trần Hưng Đạo" not in communes
    assert "1 Hàng Bài" in page_text(refreshed)
    dossier.refresh_from_db()
    assert dossier.delivery_address == {}

    saved = web.post(delivery_url, {**chosen, "commune": "Phường Hoàn Kiếm", "intent": "next"})
    assert saved.status_code == 302
    dossier.refresh_from_db()
    assert dossier.delivery_address["commune_code"] == 70


def test_the_delivery_step_starts_from_the_address_on_the_profile(web, citizen, wizard_procedure, agency):
    profile_update(
        user=citizen,
        email="",
        postal_address={"province": "Thành phố Hà Nội", "commune": "Phường Hoàn Kiếm", "street": "1 Hàng Bài"},
    )
    dossier = dossier_create_draft(
        applicant=citizen, procedure_code=wizard_procedure.code, agency_code=agency.code, partial=True
    )
    form = web.get(reverse("dossiers:edit-step", args=[dossier.pk, "delivery"])).context["form"]
    assert (form["province"].value(), form["commune"].value(), form["street"].value()) == (
        "Thành phố Hà Nội",
        "Phường Hoàn Kiếm",
        "1 Hàng Bài",
    )
    assert "Phường Hoàn Kiếm" in [value for value, _label in form.fields["commune"].widget.choices]
