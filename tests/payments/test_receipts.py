import io

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from payments import receipts
from portal import pdf as layout
from portal.pdf import REGULAR
from tests.payments.helpers import pay_on_gateway, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_payment(awaiting, django_capture_on_commit_callbacks):
    payment = start(awaiting)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_gateway(payment)
    payment.refresh_from_db()
    return payment


def test_receipt_pdf_holds_the_amount_in_words_and_a_qr_that_verifies(paid_payment, owner_client, client, monkeypatch):
    encoded = []
    real_qr = layout.qr_image
    monkeypatch.setattr(layout, "qr_image", lambda content, **kw: encoded.append(content) or real_qr(content, **kw))
    response = owner_client.get(f"/api/v1/payments/{paid_payment.public_id}/receipt/")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content), strict=True).pages)
    text = " ".join(text.split())
    assert "Một trăm ba mươi lăm nghìn đồng" in text
    assert paid_payment.receipt_number in text and paid_payment.dossier.code in text
    assert "135.000 đồng" in text
    [url] = encoded
    assert url.startswith("http://testserver/payments/verify/")
    assert paid_payment.dossier.applicant.national_id not in url and paid_payment.dossier.applicant.phone not in url
    page = client.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Biên lai hợp lệ" in html and paid_payment.receipt_number in html and "135.000" in html
    assert paid_payment.dossier.applicant.full_name not in html


def test_a_forged_token_does_not_verify(paid_payment, client):
    token = receipts.receipt_token(paid_payment.receipt_number)
    assert client.get(f"/payments/verify/{token[:-2]}xx/").status_code == 404
    forged = receipts.signing.dumps(paid_payment.receipt_number, salt="another-salt", compress=True)
    response = client.get(f"/payments/verify/{forged}/")
    assert response.status_code == 404 and "Không xác thực được" in response.content.decode()


def test_receipt_numbers_follow_each_other(awaiting, procedure4, django_capture_on_commit_callbacks):
    from tests.dossiers.builders import make_dossier

    numbers = []
    for dossier in (awaiting, make_dossier("submitted", procedure=procedure4)):
        payment = start(dossier)
        with django_capture_on_commit_callbacks(execute=True):
            pay_on_gateway(payment)
        payment.refresh_from_db()
        numbers.append(payment.receipt_number)
    first, second = (int(n.rsplit("-", 1)[1]) for n in numbers)
    assert second == first + 1


def drawn_runs(page) -> list[tuple[str, float, float]]:
    """(text, left edge, font size) of every text run as drawn on the page, in page coordinates."""
    runs = []

    def visit(text, cm, tm, _font, font_size):
        if text.strip():
            scale = cm[0] * tm[0]
            runs.append((text, cm[4] + tm[4] * cm[0], font_size * scale))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("host", ["http://testserver", "https://dichvucong.tinh-thu-nghiem.gov.vn"])
def test_the_verification_url_is_printed_whole_inside_the_page(paid_payment, host):
    path = receipts.verification_url(paid_payment)
    url = f"{host}{path}"
    reader = PdfReader(io.BytesIO(receipts.receipt_pdf(paid_payment, verify_url=url)), strict=True)
    text = "".join(page.extract_text() for page in reader.pages)
    assert url in text  # exactly, with no whitespace in between
    [(page, run)] = [(page, run) for page in reader.pages for run in drawn_runs(page) if url in run[0]]
    _text, left, size = run
    right = left + stringWidth(url, REGULAR, size)
    assert left >= receipts.MARGIN and right <= float(page.mediabox.width) - receipts.MARGIN


def test_receipt_url_from_the_api_is_whole_in_the_text(paid_payment, owner_client, monkeypatch):
    encoded = []  # the token carries a timestamp: take the URL the receipt was built with, from its QR code
    real_qr = layout.qr_image
    monkeypatch.setattr(layout, "qr_image", lambda content, **kw: encoded.append(content) or real_qr(content, **kw))
    response = owner_client.get(f"/api/v1/payments/{paid_payment.public_id}/receipt/")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content), strict=True).pages)
    [url] = encoded
    assert url.startswith("http://testserver/payments/verify/")
    assert url in text
