"""The Circular 01/2018 forms: each renders once the dossier reached its step, with the fields it must
carry (read back with pypdf), for the people who may have it; every QR encodes the public lookup with
the dossier code only."""

import io
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers import paperwork, selectors
from dossiers.models import Dossier
from dossiers.paperwork.letterhead import time_and_date
from dossiers.services.review import ActionInput, dossier_act
from portal.accounts.constants import Role
from portal.formatting import local_datetime
from procedures.calendar import add_working_days
from tests import factories
from tests.dossiers.builders import Staff, make_dossier

pytestmark = pytest.mark.django_db

PAPERS = [("to-khai", "Tờ khai đề nghị cấp bản sao", True), ("ban-sao-cccd", "Bản sao căn cước công dân", True)]
SUPPLEMENT_REASON = "Bản sao căn cước bị mờ, không đọc được số"
REFUSAL_REASON = "Hồ sơ không thuộc thẩm quyền giải quyết của xã"
APOLOGY_REASON = "Chờ ý kiến xác minh của công an xã"
QR_SCALE = 4  # pixels a module, as portal.pdf.qr_image draws it


@pytest.fixture
def desk():
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], documents=PAPERS)
    staff = Staff(procedure.agencies.first())

    def make(status, **kwargs):
        return make_dossier(status, procedure=procedure, staff=staff, **kwargs)

    make.procedure, make.staff = procedure, staff
    return make


def act(dossier, action, **inputs):
    dossier_act(dossier_id=dossier.pk, user=dossier.staff.who(action), action=action, data=ActionInput(**inputs))


def with_history(dossier) -> Dossier:
    return selectors.dossier_with_history(Dossier.objects.filter(pk=dossier.pk)).get()


def render(number: str, dossier) -> tuple[str, list[str]]:
    """(the form's text, whitespace collapsed; what its QR codes encode, as the layout recorded it)."""
    text, qr_contents, _reader = render_pdf(number, dossier)
    return text, qr_contents


def render_pdf(number: str, dossier) -> tuple[str, list[str], PdfReader]:
    fresh = with_history(dossier)
    paper = paperwork.form_pdf(paperwork.spec_for(number), fresh, qr_url=paperwork.lookup_url(fresh.code))
    reader = PdfReader(io.BytesIO(paper.render()), strict=True)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (420, 595)  # A5 portrait, in points
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, paper.qr_contents, reader


def qr_modules(image) -> list[list[bool]]:
    """The dark modules of a QR code image as the layout draws it (4 pixels a module, a 1-module border)."""
    gray = image.convert("L")
    side = gray.size[0] // QR_SCALE
    return [
        [gray.getpixel((x * QR_SCALE + QR_SCALE // 2, y * QR_SCALE + QR_SCALE // 2)) < 128 for x in range(1, side - 1)]
        for y in range(1, side - 1)
    ]


def collapsed(value: str) -> str:
    return " ".join(value.split())


def supplement_requested(desk):
    dossier = desk("processing")
    act(dossier, "request_supplement", reason=SUPPLEMENT_REASON, papers=("ban-sao-cccd",))
    dossier.refresh_from_db()
    return dossier


def apologised(desk):
    dossier = desk("processing")
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - timedelta(hours=1))
    new_day = add_working_days(timezone.now(), 5)
    act(dossier, "issue_apology", reason=APOLOGY_REASON, new_due_at=new_day)
    dossier.refresh_from_db()
    return dossier


def refused(desk):
    dossier = desk("submitted")
    act(dossier, "reject", reason=REFUSAL_REASON)
    dossier.refresh_from_db()
    return dossier


# --- Each form at its step, with its fields ------------------------------------------------------------


def test_form_01_has_the_code_applicant_appointment_and_papers(desk):
    dossier = desk("processing")
    text, _qr, reader = render_pdf("01", dossier)
    assert len(reader.pages) == 1  # a receipt of a few papers is one A5 sheet, signatures included
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert collapsed(dossier.agency.name.upper()) in text
    assert dossier.code in text and dossier.applicant_name in text
    assert f"Ngày hẹn trả kết quả: {time_and_date(dossier.due_at)}" in text
    assert "Tờ khai đề nghị cấp bản sao" in text and "Bản sao căn cước công dân" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and desk.staff.receiver.full_name in text


@pytest.mark.parametrize("status", ["submitted", "rejected"])
def test_form_01_is_refused_before_reception(desk, status):
    dossier = desk(status)
    with pytest.raises(paperwork.FormNotReady):
        render("01", dossier)
    response = api(dossier.applicant).get(form_api(dossier, "01"))
    assert response.status_code == 409
    assert response.json()["code"] == "form_not_ready"


def test_form_02_names_the_papers_asked_for_and_why(desk):
    dossier = supplement_requested(desk)
    text, _qr = render("02", dossier)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert dossier.code in text and dossier.applicant_name in text
    assert "• Bản sao căn cước công dân" in text and "• Tờ khai đề nghị cấp bản sao" not in text
    assert f"Lý do: {SUPPLEMENT_REASON}" in text


def test_form_03_gives_the_reason_of_the_refusal(desk):
    dossier = refused(desk)
    text, _qr = render("03", dossier)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text and dossier.applicant_name in text
    assert f"Lý do: {REFUSAL_REASON}" in text


def test_form_04_gives_the_reason_and_the_new_date(desk):
    dossier = apologised(desk)
    text, _qr = render("04", dossier)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert APOLOGY_REASON in text
    assert f"hẹn lại ngày trả kết quả: {local_datetime(dossier.due_at)}" in text


def test_form_05_lists_each_hand_over_with_who_when_due_and_timeliness(desk):
    dossier = desk("completed")
    text, _qr = render("05", dossier)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    staff = desk.staff
    for step in ("Tiếp nhận hồ sơ", "Phân công xử lý", "Trình phê duyệt", "Phê duyệt, có kết quả", "Trả kết quả"):
        assert step in text, step
    for official in (staff.receiver, staff.processor, staff.approver):
        assert official.full_name in text
    hand_overs = paperwork.forms.dossier_hand_overs(with_history(dossier))
    assert len(hand_overs) == 5
    # Taken the day it was received, well before the appointment: each step early; the last goes to the applicant.
    assert {h.timeliness for h in hand_overs} == {"Trước hạn"}
    assert hand_overs[1].taken_by.startswith(staff.processor.full_name)  # assigned, then forwarded by them
    assert hand_overs[-1].taken_by.startswith(dossier.applicant_name)
    assert text.count(local_datetime(dossier.due_at)) >= 5


def test_form_05_marks_a_step_after_the_appointment_late(desk):
    dossier = desk("processing")
    Dossier.objects.filter(pk=dossier.pk).update(received_at=timezone.now() - timedelta(days=30))
    act(dossier, "assign", assignee_id=desk.staff.processor.pk)
    hand_overs = paperwork.forms.dossier_hand_overs(with_history(dossier))
    assert hand_overs[-1].timeliness == "Quá hạn"


def test_form_05_needs_a_received_dossier(desk):
    with pytest.raises(paperwork.FormNotReady):
        render("05", desk("submitted"))


@pytest.mark.parametrize("number", ["02", "03", "04"])
def test_forms_02_to_04_need_their_step(desk, number):
    with pytest.raises(paperwork.FormNotReady):
        render(number, desk("processing"))


def test_a_long_list_of_papers_runs_onto_more_pages(desk):
    papers = [
        (
            f"giay-to-{n:02d}",
            f"Mục {n:02d}: Bản sao có chứng thực Giấy chứng nhận quyền sử dụng đất (hết mục {n:02d})",
            True,
        )
        for n in range(1, 31)
    ]
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], documents=papers)
    dossier = make_dossier("processing", procedure=procedure)
    fresh = with_history(dossier)
    paper = paperwork.form_pdf(paperwork.spec_for("01"), fresh, qr_url=paperwork.lookup_url(fresh.code))
    reader = PdfReader(io.BytesIO(paper.render()), strict=True)
    assert len(reader.pages) > 1
    text = collapsed(" ".join(page.extract_text() for page in reader.pages))
    assert [name for _key, name, _m in papers if collapsed(name) not in text] == []
    assert [len(page.images) for page in reader.pages] == [1] + [0] * (len(reader.pages) - 1)  # one QR


def test_markup_characters_print_as_written(desk):
    agency = factories.AgencyFactory(name="UBND xã Thử & <Mẫu>")
    procedure = factories.ProcedureFactory(agencies=[agency])
    text, _qr = render("01", make_dossier("processing", procedure=procedure))
    assert "UBND XÃ THỬ & <MẪU>" in text


# --- Form 06, the register -------------------------------------------------------------------------------


def register_period():
    today = timezone.localdate()
    return today - timedelta(days=1), today


def test_register_lists_the_dossiers_received_in_the_period_as_pdf_and_xlsx(desk):
    received = [desk("processing"), desk("completed"), refused(desk)]
    date_from, date_to = register_period()
    agency = desk.procedure.agencies.first()
    rows = paperwork.register_rows(agency=agency, date_from=date_from, date_to=date_to)
    assert [row.code for row in rows] == [received[0].code, received[1].code]  # a refusal was never received

    pdf = paperwork.register_pdf(agency=agency, date_from=date_from, date_to=date_to, rows=rows)
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "SỔ THEO DÕI HỒ SƠ" in text
    for dossier in received[:2]:
        assert dossier.code in text and dossier.applicant_name in text
    assert "Tổng số: 2 hồ sơ" in text

    xlsx = paperwork.register_xlsx(agency=agency, date_from=date_from, date_to=date_to, rows=rows)
    sheet = load_workbook(io.BytesIO(xlsx)).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[1] for row in table] == [received[0].code, received[1].code]
    assert table[1][3] == received[1].applicant_name and table[1][8] is not None  # handed over


def test_register_over_the_api_for_the_agencys_officials_only(desk):
    dossier = desk("processing")
    date_from, date_to = register_period()
    query = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    response = api(desk.staff.processor).get("/api/v1/registers/", {**query, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == paperwork.CONTENT_TYPES["xlsx"]
    assert load_workbook(io.BytesIO(response.content)).active["B4"].value == dossier.code
    assert api(desk.staff.receiver).get("/api/v1/registers/", query)["Content-Type"] == "application/pdf"
    assert api(dossier.applicant).get("/api/v1/registers/", query).status_code == 403
    other = factories.make_official(role=Role.RECEIVER)
    assert (
        api(other).get("/api/v1/registers/", {**query, "agency": desk.procedure.agencies.first().code}).status_code
        == 404
    )
    assert (
        api(desk.staff.receiver).get("/api/v1/registers/", {"from": "2026-01-01", "to": "2027-06-01"}).status_code
        == 400
    )


def test_register_page_downloads_for_an_official(desk):
    desk("processing")
    date_from, date_to = register_period()
    client = web(desk.staff.receiver)
    page = client.get(reverse("office:register"))
    assert page.status_code == 200 and "Sổ theo dõi hồ sơ" in page.content.decode()
    query = {
        "agency": desk.procedure.agencies.first().code,
        "date_from": date_from,
        "date_to": date_to,
        "format": "pdf",
    }
    response = client.get(reverse("office:register"), query)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("office:register"), {**query, "date_to": date(2000, 1, 1)}).status_code == 400


# --- Who gets which form ---------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_api(dossier, number) -> str:
    return f"/api/v1/dossiers/{dossier.pk}/forms/{number}/"


def test_the_applicant_has_forms_01_to_04_and_officials_all(desk):
    dossier = supplement_requested(desk)
    applicant, outsider = api(dossier.applicant), api(factories.CitizenFactory())
    for number in ("01", "02"):
        response = applicant.get(form_api(dossier, number))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", number
        assert outsider.get(form_api(dossier, number)).status_code == 404
    assert applicant.get(form_api(dossier, "05")).status_code == 404
    for official in (desk.staff.receiver, desk.staff.processor, desk.staff.approver):
        assert api(official).get(form_api(dossier, "05")).status_code == 200
    other_agency = factories.make_official(role=Role.RECEIVER)
    assert api(other_agency).get(form_api(dossier, "01")).status_code == 404
    assert api(desk.staff.receiver).get(form_api(dossier, "07")).status_code == 404
    assert APIClient().get(form_api(dossier, "01")).status_code == 401


def test_the_dossier_pages_link_the_forms_each_may_have(desk):
    dossier = supplement_requested(desk)
    citizen_page = web(dossier.applicant).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse("dossiers:form", args=[dossier.pk, "01"]) in citizen_page
    assert reverse("dossiers:form", args=[dossier.pk, "02"]) in citizen_page
    assert reverse("dossiers:form", args=[dossier.pk, "05"]) not in citizen_page
    office_page = web(desk.staff.processor).get(reverse("office:detail", args=[dossier.pk])).content.decode()
    for number in ("01", "02", "05"):
        assert reverse("office:form", args=[dossier.pk, number]) in office_page
    assert reverse("office:form", args=[dossier.pk, "03"]) not in office_page
    response = web(dossier.applicant).get(reverse("dossiers:form", args=[dossier.pk, "02"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert web(dossier.applicant).get(reverse("dossiers:form", args=[dossier.pk, "05"])).status_code == 404


def test_a_form_not_yet_issued_leads_back_to_the_page_with_the_reason(desk):
    dossier = desk("submitted")
    response = web(dossier.applicant).get(reverse("dossiers:form", args=[dossier.pk, "01"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:detail", args=[dossier.pk])
    assert "chưa được tiếp nhận" in response.content.decode()


def test_the_former_receipt_and_apology_addresses_lead_to_forms_01_and_04(desk):
    dossier = apologised(desk)
    client = web(dossier.applicant)
    old = {
        reverse("dossiers:receipt", args=[dossier.pk]): reverse("dossiers:form", args=[dossier.pk, "01"]),
        reverse("office:receipt", args=[dossier.pk]): reverse("office:form", args=[dossier.pk, "01"]),
        reverse("office:apology_slip", args=[dossier.pk]): reverse("office:form", args=[dossier.pk, "04"]),
    }
    for address, form in old.items():
        response = client.get(address)
        assert (response.status_code, response["Location"]) == (301, form)
        assert client.get(form).content.startswith(b"%PDF")
    response = api(dossier.applicant).get(f"/api/v1/dossiers/{dossier.pk}/receipt/")
    assert response.status_code == 200 and "mau-01" in response["Content-Disposition"]


# --- QR codes: the dossier code only -------------------------------------------------------------------


def every_form(desk) -> list[tuple[str, Dossier]]:
    completed, refusal, apology, supplement = (
        desk("completed"),
        refused(desk),
        apologised(desk),
        supplement_requested(desk),
    )
    return [("01", completed), ("02", supplement), ("03", refusal), ("04", apology), ("05", completed)]


def test_every_qr_and_url_carries_the_dossier_code_and_no_national_id_or_phone(desk):
    for number, dossier in every_form(desk):
        # The applicant's phone and ID share their last digits with nothing else on the form.
        secrets = {dossier.applicant_id_number, dossier.applicant_phone, dossier.applicant.national_id}
        text, qr_contents, reader = render_pdf(number, dossier)
        assert len(qr_contents) == 1, number
        # The code drawn on the page is the QR code of that content, module for module.
        [drawn] = reader.pages[0].images
        assert qr_modules(drawn.image) == [
            [bool(m) for m in row] for row in segno.make(qr_contents[0], error="m").matrix
        ]
        url = urlparse(qr_contents[0])
        assert url.path == reverse("dossiers:lookup")
        assert parse_qs(url.query) == {"code": [dossier.code]}, number
        for found in [*qr_contents, *re.findall(r"\S*/\S*\?\S*", text)]:
            assert not any(secret and secret in found for secret in secrets), (number, found)
            assert not any(secret and secret[-4:] in found for secret in secrets), (number, found)


def test_the_qr_is_an_absolute_url_when_served(desk):
    dossier = desk("processing")
    request = Client().get("/").wsgi_request
    assert paperwork.lookup_url(dossier.code, request=request) == (
        f"http://testserver{reverse('dossiers:lookup')}?code={dossier.code}"
    )


def test_the_lookup_page_the_qr_opens_asks_for_the_second_factor(desk):
    dossier = desk("processing")
    page = Client().get(paperwork.lookup_url(dossier.code))
    body = page.content.decode()
    assert page.status_code == 200
    assert f'value="{dossier.code}"' in body and 'name="id_last4"' in body
    assert dossier.applicant_name not in body


def test_lookup_codes_match_whatever_the_letter_case(desk):
    dossier = desk("processing")
    assert any(c.isalpha() for c in dossier.code)
    last4 = dossier.applicant_id_number[-4:]
    for code in (dossier.code.lower(), dossier.code.swapcase(), f"  {dossier.code}  "):
        assert selectors.public_lookup(code=code, id_last4=last4).pk == dossier.pk
        response = APIClient().get("/api/v1/lookup/", {"code": code, "id_last4": last4})
        assert response.status_code == 200 and response.json()["code"] == dossier.code
    page = Client().post(reverse("dossiers:lookup"), {"code": dossier.code.lower(), "id_last4": last4})
    assert page.context["result"].pk == dossier.pk


def test_a_supplement_request_over_the_api_names_papers_of_the_procedure_only(desk):
    dossier = desk("processing")
    url = f"/api/v1/dossiers/{dossier.pk}/actions/request_supplement/"
    receiver = api(desk.staff.receiver)
    wrong = receiver.post(url, {"reason": SUPPLEMENT_REASON, "documents": ["khong-co"]}, format="json")
    assert wrong.status_code == 400 and "documents" in wrong.json()
    done = receiver.post(url, {"reason": SUPPLEMENT_REASON, "documents": ["ban-sao-cccd", "to-khai"]}, format="json")
    assert done.status_code == 200
    event = dossier.events.get(action="request_supplement")
    assert [(paper["key"], paper["other"]) for paper in event.data["papers"]] == [
        ("ban-sao-cccd", False),
        ("to-khai", False),
    ]


def test_the_office_page_asks_which_papers_to_supplement(desk):
    dossier = desk("processing")
    client = web(desk.staff.processor)
    page = client.get(reverse("office:detail", args=[dossier.pk])).content.decode()
    assert 'name="request_supplement-documents" value="ban-sao-cccd"' in page
    data = {
        "action": "request_supplement",
        "request_supplement-reason": SUPPLEMENT_REASON,
        "request_supplement-documents": ["ban-sao-cccd"],
    }
    assert client.post(reverse("office:detail", args=[dossier.pk]), data).status_code == 302
    text, _qr = render("02", dossier)
    assert "• Bản sao căn cước công dân" in text
