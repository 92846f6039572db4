"""Papers the portal issues for a dossier: the receipt with its appointment date (giấy tiếp nhận)."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from dossiers.models import Dossier
from portal.formatting import dong, local_datetime
from portal.pdf import Paper, qr_image

MARGIN = 18 * mm
QR_SIZE = 32 * mm
LABEL_WIDTH = 52 * mm


def receipt_qr_content(dossier: Dossier) -> str:
    return f"HS:{dossier.code};TTHC:{dossier.procedure.code};ID:{dossier.applicant_id_number}"


def receipt_rows(dossier: Dossier) -> list[tuple[str, str]]:
    return [
        ("Mã hồ sơ", dossier.code or "—"),
        ("Người nộp", dossier.applicant_name),
        ("Số giấy tờ tùy thân", dossier.applicant_id_number or "—"),
        ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Cơ quan giải quyết", dossier.agency.name),
        ("Kênh nộp", dossier.get_channel_display()),
        ("Thời điểm nộp", local_datetime(dossier.submitted_at)),
        ("Thời điểm tiếp nhận", local_datetime(dossier.received_at)),
        (
            "Ngày hẹn trả kết quả",
            local_datetime(dossier.due_at) if dossier.due_at else "Được tính khi cán bộ tiếp nhận hồ sơ",
        ),
        ("Hình thức nhận kết quả", dossier.get_delivery_method_display()),
        ("Phí, lệ phí", dong(dossier.amount_due)),
    ]


def receipt_papers(dossier: Dossier) -> list[str]:
    """The papers received: the receipt is the list of what the office took in."""
    attachments = dossier.attachments.filter(superseded_at__isnull=True).select_related("document")
    return [attachment.paper_name for attachment in attachments]


def receipt_pdf(dossier: Dossier) -> bytes:
    paper = Paper(pagesize=A4, margin=MARGIN, title=f"Giấy tiếp nhận hồ sơ {dossier.code}")
    # The QR code sits at the top left, as on the national portal's receipts.
    paper.letterhead(dossier.agency.name, qr=qr_image(receipt_qr_content(dossier)), qr_size=QR_SIZE)
    paper.heading("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    paper.rows(receipt_rows(dossier), label_width=LABEL_WIDTH)
    paper.paragraph("Giấy tờ đã nộp:", bold=True, space_before=4 * mm)
    paper.bullets(receipt_papers(dossier))
    paper.paragraph(
        "Tra cứu tình trạng hồ sơ tại mục Tra cứu hồ sơ của Cổng Dịch vụ công bằng mã hồ sơ và "
        "4 số cuối của giấy tờ tùy thân. Bản mô phỏng — không có giá trị pháp lý.",
        size=9,
        space_before=6 * mm,
    )
    return paper.render()
