"""The e-receipt (biên lai điện tử) PDF, and the signed token its QR code carries to the verification page.

The token holds only the receipt number, signed with the site's key: anyone can check a receipt
is genuine, nobody can forge one, and the page it opens shows no personal data.
"""

from django.core import signing
from django.urls import reverse
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from payments.models import Payment
from payments.words import vnd_in_words
from portal.formatting import dong, local_datetime
from portal.pdf import Paper

SALT = "payments.receipt"
MARGIN = 12 * mm
QR_SIZE = 28 * mm
LABEL_WIDTH = 34 * mm


def receipt_token(receipt_number: str) -> str:
    return signing.dumps(receipt_number, salt=SALT, compress=True)


def receipt_number_from_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def verification_url(payment: Payment, *, request=None) -> str:
    path = reverse("payments:verify", args=[receipt_token(payment.receipt_number)])
    return request.build_absolute_uri(path) if request is not None else path


def receipt_rows(payment: Payment) -> list[tuple[str, str]]:
    dossier = payment.dossier
    words = vnd_in_words(payment.amount)
    rows = [
        ("Số biên lai", payment.receipt_number),
        ("Ngày thu", local_datetime(payment.paid_at)),
        ("Người nộp tiền", dossier.applicant_name or payment.payer.full_name),
        ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Mã hồ sơ", dossier.code or "—"),
        ("Cơ quan thu", dossier.agency.name),
    ]
    breakdown = payment.breakdown or {}
    if breakdown.get("fee"):
        rows.append(("Phí", dong(breakdown["fee"])))
    if breakdown.get("charge"):
        rows.append(("Lệ phí", dong(breakdown["charge"])))
    if breakdown.get("discount_amount"):
        discount = f"{breakdown['discount_name']}, {breakdown['discount_percent']}%"
        rows.append(("Giảm", f"-{dong(breakdown['discount_amount'])} ({discount})"))
    if breakdown.get("postage"):
        rows.append(("Cước bưu chính", dong(breakdown["postage"])))
    rows += [
        ("Số tiền", dong(payment.amount)),
        ("Bằng chữ", words[:1].upper() + words[1:]),
        ("Hình thức", payment.get_method_display() or "Thanh toán trực tuyến"),
        ("Mã giao dịch", payment.provider_ref),
    ]
    return rows


def receipt_pdf(payment: Payment, *, verify_url: str) -> bytes:
    paper = Paper(pagesize=A5, margin=MARGIN, title=f"Biên lai điện tử {payment.receipt_number}", size=9)
    paper.letterhead(
        payment.dossier.agency.name,
        qr_content=verify_url,
        qr_size=QR_SIZE,
        qr_caption="Quét mã QR để kiểm tra biên lai",
    )
    paper.heading("BIÊN LAI THU PHÍ, LỆ PHÍ", subtitle="(Biên lai điện tử)")
    paper.rows(receipt_rows(payment), label_width=LABEL_WIDTH)
    # The URL on a line of its own, never broken, so it can be copied whole from the PDF.
    paper.paragraph("Kiểm tra:", size=7.5, space_before=3 * mm)
    paper.fitted_line(verify_url, size=7.5)
    paper.paragraph("Bản mô phỏng, không có giá trị pháp lý.", size=7.5)
    return paper.render()
