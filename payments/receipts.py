"""The e-receipt (biên lai điện tử) PDF, and the signed token its QR code carries to the verification page.

The token holds only the receipt number, signed with the site's key: anyone can check a receipt
is genuine, nobody can forge one, and the page it opens shows no personal data.
"""

import io

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from payments.models import Payment
from payments.words import vnd_in_words
from portal.pdf import BOLD, REGULAR, qr_image, register_fonts, wrap_text

SALT = "payments.receipt"
MARGIN = 12 * mm
QR_SIZE = 28 * mm


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


def vnd(amount: int) -> str:
    return f"{amount:,} đồng".replace(",", ".")


def receipt_rows(payment: Payment) -> list[tuple[str, str]]:
    dossier = payment.dossier
    words = vnd_in_words(payment.amount)
    rows = [
        ("Số biên lai", payment.receipt_number),
        ("Ngày thu", date_format(timezone.localtime(payment.paid_at), "H:i, d/m/Y")),
        ("Người nộp tiền", dossier.applicant_name or payment.payer.full_name),
        ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Mã hồ sơ", dossier.code or "—"),
        ("Cơ quan thu", dossier.agency.name),
    ]
    breakdown = payment.breakdown or {}
    if breakdown.get("fee"):
        rows.append(("Phí", vnd(breakdown["fee"])))
    if breakdown.get("charge"):
        rows.append(("Lệ phí", vnd(breakdown["charge"])))
    if breakdown.get("discount_amount"):
        discount = f"{breakdown['discount_name']}, {breakdown['discount_percent']}%"
        rows.append(("Giảm", f"-{vnd(breakdown['discount_amount'])} ({discount})"))
    rows += [
        ("Số tiền", vnd(payment.amount)),
        ("Bằng chữ", words[:1].upper() + words[1:]),
        ("Hình thức", payment.get_method_display() or "Thanh toán trực tuyến"),
        ("Mã giao dịch", payment.provider_ref),
    ]
    return rows


def receipt_pdf(payment: Payment, *, verify_url: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    pdf.setTitle(f"Biên lai điện tử {payment.receipt_number}")
    width, height = A5
    top = height - MARGIN
    pdf.drawImage(qr_image(verify_url), width - MARGIN - QR_SIZE, top - QR_SIZE, QR_SIZE, QR_SIZE)
    pdf.setFont(BOLD, 9)
    pdf.drawString(MARGIN, top - 5 * mm, payment.dossier.agency.name.upper()[:48])
    pdf.setFont(REGULAR, 8)
    pdf.drawString(MARGIN, top - 10 * mm, "Quét mã QR để kiểm tra biên lai")
    y = top - QR_SIZE - 8 * mm
    pdf.setFont(BOLD, 14)
    pdf.drawCentredString(width / 2, y, "BIÊN LAI THU PHÍ, LỆ PHÍ")
    pdf.setFont(REGULAR, 9)
    pdf.drawCentredString(width / 2, y - 5 * mm, "(Biên lai điện tử)")
    y -= 14 * mm
    label_width = 34 * mm
    text_width = width - 2 * MARGIN - label_width
    for label, value in receipt_rows(payment):
        pdf.setFont(BOLD, 9)
        pdf.drawString(MARGIN, y, f"{label}:")
        pdf.setFont(REGULAR, 9)
        for line in wrap_text(value, font=REGULAR, size=9, width=text_width) or [""]:
            pdf.drawString(MARGIN + label_width, y, line)
            y -= 5 * mm
        y -= 1 * mm
    pdf.setFont(REGULAR, 7.5)
    for line in wrap_text(
        f"Kiểm tra: {verify_url} — Bản mô phỏng, không có giá trị pháp lý.",
        font=REGULAR,
        size=7.5,
        width=width - 2 * MARGIN,
    ):
        y -= 4 * mm
        pdf.drawString(MARGIN, y, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
