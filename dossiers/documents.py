"""Papers the portal issues for a dossier: the receipt with its appointment date (giấy tiếp nhận)."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from dossiers.models import Dossier
from portal.pdf import BOLD, REGULAR, qr_image, register_fonts, wrap_text

MARGIN = 18 * mm
QR_SIZE = 32 * mm


def receipt_qr_content(dossier: Dossier) -> str:
    return f"HS:{dossier.code};TTHC:{dossier.procedure.code};ID:{dossier.applicant_id_number}"


def _when(value) -> str:
    return date_format(timezone.localtime(value), "H:i, d/m/Y") if value else "—"


def receipt_rows(dossier: Dossier) -> list[tuple[str, str]]:
    return [
        ("Mã hồ sơ", dossier.code or "—"),
        ("Người nộp", dossier.applicant_name),
        ("Số giấy tờ tùy thân", dossier.applicant_id_number or "—"),
        ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Cơ quan giải quyết", dossier.agency.name),
        ("Kênh nộp", dossier.get_channel_display()),
        ("Thời điểm nộp", _when(dossier.submitted_at)),
        ("Thời điểm tiếp nhận", _when(dossier.received_at)),
        ("Ngày hẹn trả kết quả", _when(dossier.due_at) if dossier.due_at else "Được tính khi cán bộ tiếp nhận hồ sơ"),
        ("Hình thức nhận kết quả", dossier.get_delivery_method_display()),
        ("Phí, lệ phí", f"{dossier.amount_due:,} đồng".replace(",", ".")),
    ]


def receipt_pdf(dossier: Dossier) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Giấy tiếp nhận hồ sơ {dossier.code}")
    width, height = A4
    top = height - MARGIN
    # The QR code sits at the top left, as on the national portal's receipts.
    pdf.drawImage(qr_image(receipt_qr_content(dossier)), MARGIN, top - QR_SIZE, QR_SIZE, QR_SIZE)
    center = (width + MARGIN + QR_SIZE) / 2
    pdf.setFont(BOLD, 11)
    pdf.drawCentredString(center, top - 6 * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.setFont(BOLD, 10)
    pdf.drawCentredString(center, top - 11 * mm, "Độc lập - Tự do - Hạnh phúc")
    pdf.setFont(REGULAR, 10)
    pdf.drawCentredString(center, top - 18 * mm, dossier.agency.name.upper()[:70])
    y = top - QR_SIZE - 12 * mm
    pdf.setFont(BOLD, 14)
    pdf.drawCentredString(width / 2, y, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    y -= 12 * mm
    label_width, text_width = 52 * mm, width - 2 * MARGIN - 52 * mm
    for label, value in receipt_rows(dossier):
        pdf.setFont(BOLD, 10)
        pdf.drawString(MARGIN, y, f"{label}:")
        pdf.setFont(REGULAR, 10)
        for line in wrap_text(value, font=REGULAR, size=10, width=text_width) or [""]:
            pdf.drawString(MARGIN + label_width, y, line)
            y -= 6 * mm
        y -= 1 * mm
    y -= 4 * mm
    pdf.setFont(BOLD, 10)
    pdf.drawString(MARGIN, y, "Giấy tờ đã nộp:")
    y -= 6 * mm
    pdf.setFont(REGULAR, 10)
    for attachment in dossier.attachments.filter(superseded_at__isnull=True).select_related("document"):
        for line in wrap_text(f"• {attachment.document.name}", font=REGULAR, size=10, width=width - 2 * MARGIN):
            pdf.drawString(MARGIN, y, line)
            y -= 6 * mm
    y -= 6 * mm
    note = (
        "Tra cứu tình trạng hồ sơ tại mục Tra cứu hồ sơ của Cổng Dịch vụ công bằng mã hồ sơ và "
        "4 số cuối của giấy tờ tùy thân. Bản mô phỏng — không có giá trị pháp lý."
    )
    pdf.setFont(REGULAR, 9)
    for line in wrap_text(note, font=REGULAR, size=9, width=width - 2 * MARGIN):
        pdf.drawString(MARGIN, y, line)
        y -= 5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
