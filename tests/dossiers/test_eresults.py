"""E-results: the approver's result signed by the agency (PAdES), and the public page that checks it."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers.models import EResult
from dossiers.services import eresults
from dossiers.services.eresults import eresult_check
from portal import pdf
from portal.esign import ca, pades
from procedures.constants import OnlineLevel
from tests import factories
from tests.dossiers.builders import PDF_BYTES, make_dossier

pytestmark = pytest.mark.django_db


def signed_bytes(dossier) -> bytes:
    with dossier.result_file.open("rb") as stored:
        return stored.read()


def one_byte_changed(data: bytes) -> bytes:
    """The same file with one byte of the first page's content changed (inside the signed range)."""
    at = data.index(b"stream", data.index(b"/Contents")) + 12
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def foreign_signed(data: bytes, field_name: str = "ChuKySo") -> bytes:
    """Signed by an agency-like certificate from a CA the portal does not know."""
    other_root = ca._new_root()
    impostor = ca._new_agency(other_root, agency_code="000.00.01.H26", agency_name="Sở Tư pháp")
    return pades.sign_pdf(data, signer=impostor, issuer=other_root, reason="Giả mạo", field_name=field_name)


def upload_for_check(content: bytes, name="ket-qua.pdf"):
    return Client().post("/e-results/verify/", {"file": SimpleUploadedFile(name, content)})


def test_approval_signs_the_result_with_the_agencys_certificate():
    dossier = make_dossier("result_ready")
    e_result = EResult.objects.get(dossier=dossier)
    content = signed_bytes(dossier)
    assert e_result.sha256 == hashlib.sha256(content).hexdigest() and e_result.size == len(content)
    check = eresult_check(content)
    assert check.outcome == pades.VALID
    assert check.signer == dossier.agency.name and check.signer_code == dossier.agency.code
    assert check.certificate_serial == e_result.certificate_serial and check.signed_at is not None
    assert check.dossier_code == dossier.code
    # The approver's page plus the verification slip, whose QR code points at the public page.
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 2
    slip = pages[-1].extract_text()
    assert dossier.code in slip and str(e_result.token) in slip.replace("\n", "")
    assert dossier.applicant_id_number not in slip and dossier.applicant_phone not in slip
    approval = dossier.events.get(action="approve")
    assert approval.data["e_result"] == {
        "id": e_result.pk,
        "signed_by": dossier.agency.code,
        "certificate_serial": e_result.certificate_serial,
        "sha256": e_result.sha256,
    }


def test_the_qr_link_shows_an_intact_signature_without_login():
    dossier = make_dossier("completed")
    e_result = dossier.e_result
    response = Client().get(f"/e-results/{e_result.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-outcome="valid"' in page
    assert dossier.agency.name in page and dossier.code in page and e_result.certificate_serial in page
    assert dossier.applicant_id_number not in page and dossier.applicant_name not in page


def test_the_qr_link_of_a_stored_file_changed_on_disk_reports_it_broken():
    dossier = make_dossier("result_ready")
    content = one_byte_changed(signed_bytes(dossier))
    with open(dossier.result_file.path, "wb") as stored:
        stored.write(content)
    page = Client().get(f"/e-results/{dossier.e_result.token}/").content.decode()
    assert 'data-outcome="broken"' in page


def test_an_unknown_token_or_a_lost_file_is_404():
    assert Client().get("/e-results/00000000-0000-4000-8000-000000000000/").status_code == 404
    dossier = make_dossier("result_ready")
    dossier.result_file.storage.delete(dossier.result_file.name)
    assert Client().get(f"/e-results/{dossier.e_result.token}/").status_code == 404


def test_uploaded_e_result_verifies_one_byte_changed_is_broken_foreign_ca_is_untrusted():
    dossier = make_dossier("result_ready")
    content = signed_bytes(dossier)

    valid = upload_for_check(content)
    assert valid.status_code == 200
    assert 'data-outcome="valid"' in valid.content.decode() and dossier.agency.name in valid.content.decode()

    broken = upload_for_check(one_byte_changed(content))
    assert 'data-outcome="broken"' in broken.content.decode()
    assert eresult_check(one_byte_changed(content)).outcome == pades.BROKEN

    untrusted = upload_for_check(foreign_signed(PDF_BYTES))
    assert 'data-outcome="untrusted"' in untrusted.content.decode()
    assert eresult_check(foreign_signed(PDF_BYTES)).outcome == pades.UNTRUSTED


def test_a_file_appended_to_after_signing_is_broken():
    dossier = make_dossier("result_ready")
    content = signed_bytes(dossier)
    # An incremental update after the signature (what an editor saving a signed PDF does).
    updated = content + b"\n1 0 obj\n<< >>\nendobj\n"
    assert eresult_check(updated).outcome in {pades.BROKEN, pades.UNSIGNED}
    assert eresult_check(foreign_signed(content, "ChuKyKhac")).outcome == pades.UNTRUSTED


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", PDF_BYTES])
def test_unsigned_or_empty_uploads_are_answered_not_failed(content):
    response = upload_for_check(content)
    assert response.status_code in (200, 400)
    if content:
        assert 'data-outcome="unsigned"' in response.content.decode()


def test_the_verify_page_without_a_file_says_so():
    response = Client().post("/e-results/verify/", {})
    assert response.status_code == 400
    assert Client().get("/e-results/verify/").status_code == 200


def test_a_result_that_is_not_a_valid_pdf_is_refused_at_upload_with_a_400():
    dossier = make_dossier("awaiting_approval")
    client = APIClient()
    client.force_authenticate(dossier.staff.approver)
    broken_pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    for content in (b"MZ not a pdf", broken_pdf, PDF_BYTES[: len(PDF_BYTES) // 2]):
        upload = SimpleUploadedFile("kq.pdf", content, content_type="application/pdf")
        response = client.post(f"/api/v1/dossiers/{dossier.pk}/actions/approve/", {"file": upload}, format="multipart")
        assert response.status_code == 400, content
        assert "file" in response.json()
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_approval" and not dossier.result_file
    assert not EResult.objects.filter(dossier=dossier).exists()


def test_without_a_certificate_authority_approval_is_a_409_and_nothing_changes(tmp_path, settings):
    dossier = make_dossier("awaiting_approval")
    settings.ESIGN_DIR = tmp_path / "empty"
    settings.DEMO_MODE = False
    client = APIClient()
    client.force_authenticate(dossier.staff.approver)
    upload = SimpleUploadedFile("kq.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(f"/api/v1/dossiers/{dossier.pk}/actions/approve/", {"file": upload}, format="multipart")
    assert response.status_code == 409 and response.json()["code"] == "no_certificate_authority"
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_approval"
    # In demo mode the first approval makes the CA.
    settings.DEMO_MODE = True
    upload = SimpleUploadedFile("kq.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(f"/api/v1/dossiers/{dossier.pk}/actions/approve/", {"file": upload}, format="multipart")
    assert response.status_code == 200
    assert ca.root_path().exists()


def test_esign_init_makes_the_root_once_and_a_certificate_per_agency(tmp_path, settings):
    settings.ESIGN_DIR = tmp_path / "ca"
    agencies = [factories.AgencyFactory(), factories.AgencyFactory()]
    call_command("esign_init", stdout=io.StringIO())
    first = ca.root_path().read_bytes()
    call_command("esign_init", stdout=io.StringIO())
    assert ca.root_path().read_bytes() == first
    root = ca.root_load(create=False)
    for agency in agencies:
        assert ca.agency_path(agency.code).exists()
        pair, _root = ca.agency_signer(agency_code=agency.code, agency_name=agency.name)
        assert pair.certificate.issuer == root.certificate.subject
    assert (ca.root_path().stat().st_mode & 0o777) == 0o600
    assert not str(ca.esign_dir()).startswith(str(settings.MEDIA_ROOT))


def test_a_level_4_citizen_downloads_the_signed_e_result():
    procedure = factories.ProcedureFactory(
        agencies=[factories.AgencyFactory()], online_level=OnlineLevel.LEVEL_4, delivery_methods=["online"]
    )
    dossier = make_dossier("result_ready", procedure=procedure, delivery_method="online")
    client = APIClient()
    client.force_authenticate(dossier.applicant)
    response = client.get(f"/files/dossiers/{dossier.pk}/result/")
    assert response.status_code == 200
    downloaded = b"".join(response.streaming_content)
    assert downloaded == signed_bytes(dossier)
    assert eresult_check(downloaded).outcome == pades.VALID
    detail = client.get(f"/api/v1/dossiers/{dossier.pk}/").json()
    assert detail["e_result"]["verify_url"].endswith(f"/e-results/{dossier.e_result.token}/")


def test_the_page_serves_phones():
    page = Client().get("/e-results/verify/").content.decode()
    assert 'name="viewport"' in page and 'for="eresult-file"' in page


def test_the_api_checks_an_uploaded_file_without_login():
    dossier = make_dossier("result_ready")
    content = signed_bytes(dossier)
    client = APIClient()

    def check(data):
        return client.post(
            "/api/v1/e-results/verify/", {"file": SimpleUploadedFile("kq.pdf", data)}, format="multipart"
        )

    valid = check(content).json()
    assert valid["outcome"] == "valid" and valid["signer_code"] == dossier.agency.code
    assert valid["signer"] == dossier.agency.name and valid["dossier_code"] == dossier.code
    assert check(one_byte_changed(content)).json()["outcome"] == "broken"
    assert check(foreign_signed(PDF_BYTES)).json()["outcome"] == "untrusted"
    assert check(b"hello").json()["outcome"] == "unsigned"
    missing = client.post("/api/v1/e-results/verify/", {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()


def test_a_long_agency_name_is_shown_whole_though_the_certificate_holds_64_bytes():
    agency = factories.AgencyFactory(name="Ủy ban nhân dân phường Trần Hưng Đạo, thành phố Hải Dương, tỉnh Hải Dương")
    procedure = factories.ProcedureFactory(agencies=[agency])
    dossier = make_dossier("result_ready", procedure=procedure)
    check = eresult_check(signed_bytes(dossier))
    assert check.outcome == pades.VALID and check.signer == agency.name
    assert len(pades.verify_pdf(signed_bytes(dossier), trust_root=ca.root_certificate()).signer.encode()) <= 64


def test_the_qr_code_on_the_result_holds_only_the_public_link(monkeypatch):
    encoded = []
    real_qr = pdf.qr_image
    monkeypatch.setattr(pdf, "qr_image", lambda content, **kw: encoded.append(content) or real_qr(content, **kw))
    dossier = make_dossier("result_ready")
    assert encoded == [eresults.verification_url(dossier.e_result.token)]
    assert encoded[0].startswith("http://127.0.0.1:8000/e-results/")
    for private in (dossier.applicant_id_number, dossier.applicant_phone, dossier.applicant.national_id):
        assert private and private not in encoded[0]
