import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers.documents import receipt_qr_content
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
