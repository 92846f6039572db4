"""What every form shares: the A5 page, the agency and motto, the dossier's QR code, dates in words."""

from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

import portal.clock as clock
from dossiers.models import Dossier
from portal.pdf import Paper

MARGIN = 10 * mm
QR_SIZE = 20 * mm
FONT_SIZE = 8.5
LABEL_WIDTH = 40 * mm
DISCLAIMER = "Bản mô phỏng — không có giá trị pháp lý."
QR_CAPTION = "Quét mã để tra cứu hồ sơ"


def lookup_url(code: str, *, request=None) -> str:
    """The public lookup of one dossier: its code and nothing else (the page asks for the second factor)."""
    path = f"{reverse('dossiers:lookup')}?{urlencode({'code': code})}"
    return request.build_absolute_uri(path) if request is not None else path


def date_in_words(moment: datetime | None) -> str:
    """ "ngày 05 tháng 3 năm 2026", as official papers write a date (in the portal's time zone)."""
    if moment is None:
        return "ngày … tháng … năm …"
    local = timezone.localtime(moment)
    return f"ngày {local.day:02d} tháng {local.month} năm {local.year}"


def time_and_date(moment: datetime | None) -> str:
    """ "09 giờ 30 phút, ngày 05 tháng 3 năm 2026"."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {date_in_words(moment)}"


def form_paper(dossier: Dossier, *, number: str, title: str, qr_url: str, issued_at=None, pagesize=A5) -> Paper:
    """A form's page with its letterhead (agency, code as the paper's number, QR, motto, place and date)
    and title."""
    paper = Paper(pagesize=pagesize, margin=MARGIN, title=f"{title.capitalize()} {dossier.code}", size=FONT_SIZE)
    paper.letterhead(
        dossier.agency.name,
        qr_content=qr_url,
        qr_size=QR_SIZE,
        qr_caption=QR_CAPTION,
        number=f"Mã hồ sơ: {dossier.code}",
        place_date=date_in_words(issued_at or clock.now()).capitalize(),
    )
    paper.heading(title, subtitle=f"(Mẫu số {number}, Thông tư 01/2018/TT-VPCP)", space=4 * mm)
    return paper


def applicant_rows(dossier: Dossier) -> list[tuple[str, str]]:
    return [
        ("Mã hồ sơ", dossier.code or "—"),
        ("Người nộp", dossier.applicant_name),
        ("Nội dung yêu cầu giải quyết", f"{dossier.procedure.name} ({dossier.procedure.code})"),
    ]
