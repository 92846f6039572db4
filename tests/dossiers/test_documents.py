import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers.documents import receipt_pdf, receipt_qr_content
from tests import factories
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_receipt_pdf_has_vietnamese_text_code_and_appointment():
    dossier = make_dossier("processing")
    response = client_for(dossier.applicant).get(f"/api/v1/dossiers/{dossier.pk}/receipt/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content), strict=True)
    text = reader.pages[0].extract_text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text
    assert dossier.code in text
    assert "Ngày hẹn trả kết quả" in text
    images = reader.pages[0].images
    assert len(images) == 1  # the QR code


def test_receipt_qr_carries_code_procedure_and_applicant_id():
    dossier = make_dossier("submitted")
    content = receipt_qr_content(dossier)
    assert dossier.code in content and dossier.procedure.code in content
    assert dossier.applicant.national_id in content


def test_receipt_is_private_and_needs_a_submitted_dossier():
    draft = make_dossier("draft")
    assert client_for(draft.applicant).get(f"/api/v1/dossiers/{draft.pk}/receipt/").status_code == 409
    submitted = make_dossier("submitted")
    outsider = factories.CitizenFactory()
    assert client_for(outsider).get(f"/api/v1/dossiers/{submitted.pk}/receipt/").status_code == 404
    assert client_for(submitted.staff.receiver).get(f"/api/v1/dossiers/{submitted.pk}/receipt/").status_code == 200


def papers(count: int) -> list[tuple[str, str, bool]]:
    """Long Vietnamese paper names, each numbered at both ends so a name cut short is missed."""
    return [
        (
            f"giay-to-{n:02d}",
            f"Mục {n:02d}: Bản sao có chứng thực Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản "
            f"khác gắn liền với đất, kèm trích lục bản đồ địa chính thửa đất (hết mục {n:02d})",
            True,
        )
        for n in range(1, count + 1)
    ]


def collapsed(value: str) -> str:
    return " ".join(value.split())


def test_receipt_lists_every_paper_received_over_as_many_pages_as_it_needs():
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], documents=papers(40))
    dossier = make_dossier("processing", procedure=procedure)
    assert dossier.attachments.count() == 40

    response = client_for(dossier.applicant).get(f"/api/v1/dossiers/{dossier.pk}/receipt/")
    reader = PdfReader(io.BytesIO(response.content), strict=True)

    assert len(reader.pages) > 1
    text = collapsed(" ".join(page.extract_text() for page in reader.pages))
    missing = [name for _key, name, _mandatory in papers(40) if collapsed(name) not in text]
    assert missing == []
    assert "Giấy tờ đã nộp:" in text and "không có giá trị pháp lý" in text  # the note after the list
    assert [len(page.images) for page in reader.pages] == [1] + [0] * (len(reader.pages) - 1)


def test_receipt_prints_long_values_whole_and_markup_characters_as_written():
    agency = factories.AgencyFactory(
        name="Ủy ban nhân dân xã Thử nghiệm Rất Dài Tên thuộc huyện Miền Núi Xa Xôi, tỉnh Ví Dụ & <Mẫu>"
    )
    procedure = factories.ProcedureFactory(agencies=[agency])
    dossier = make_dossier("submitted", procedure=procedure)
    text = collapsed(PdfReader(io.BytesIO(receipt_pdf(dossier)), strict=True).pages[0].extract_text())
    assert collapsed(agency.name.upper()) in text  # the letterhead wraps it instead of cutting it
    assert collapsed(agency.name) in text  # the "Cơ quan giải quyết" row
    assert "Được tính khi cán bộ tiếp nhận hồ sơ" in text
