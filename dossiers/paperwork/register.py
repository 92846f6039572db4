"""Form 06, Sổ theo dõi hồ sơ: an agency's dossiers received in a period, one row each, as an A4 PDF
(landscape) or an XLSX workbook. Two queries whatever the number of rows."""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent
from dossiers.paperwork.letterhead import DISCLAIMER, date_in_words
from portal.errors import ServiceError
from portal.formatting import local_datetime
from portal.pdf import Paper
from portal.text import spreadsheet_safe
from procedures.calendar import office_time_zone
from procedures.models import Agency

REGISTER = ("06", "SỔ THEO DÕI HỒ SƠ", "so-theo-doi-ho-so")
# A register is kept by month, quarter or year; more than that, or more rows than a printed book
# holds, is a request to narrow.
MAX_DAYS = 366
MAX_ROWS = 10_000
ERR_PERIOD = gettext_noop("Khoảng thời gian không hợp lệ: từ ngày phải trước đến ngày, tối đa {days} ngày.")
# No dossier is older than the portal's data or dated in a far future: such a date is a typing slip.
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
ERR_YEARS = gettext_noop("Chỉ lập sổ cho các ngày từ năm {first} đến năm {last}.")
ERR_TOO_MANY = gettext_noop("Sổ có hơn {rows} hồ sơ: hãy chọn khoảng thời gian ngắn hơn.")
HEADER = (
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Người nộp", "Kênh nộp", "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả", "Ngày có kết quả", "Ngày trả kết quả / kết thúc", "Tình trạng",
)  # fmt: skip
WIDTHS = (4, 18, 20, 14, 7, 9, 9, 9, 9, 10)


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure: str
    applicant: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    result_at: datetime | None
    closed_at: datetime | None
    status: str

    def cells(self) -> list[str]:
        return [str(self.number), self.code, self.procedure, self.applicant, self.channel,
                local_datetime(self.received_at), local_datetime(self.due_at), local_datetime(self.result_at),
                local_datetime(self.closed_at), self.status]  # fmt: skip


def _window(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    if date_to < date_from or (date_to - date_from).days >= MAX_DAYS:
        raise ServiceError(_(ERR_PERIOD).format(days=MAX_DAYS), field="to")
    if not EARLIEST <= date_from <= date_to <= LATEST:
        raise ServiceError(_(ERR_YEARS).format(first=EARLIEST.year, last=LATEST.year), field="from")
    zone = office_time_zone()
    return datetime.combine(date_from, time.min, tzinfo=zone), datetime.combine(
        date_to + timedelta(days=1), time.min, tzinfo=zone
    )


def _status(dossier: Dossier) -> str:
    label = dossier.get_status_display()
    finished = dossier.completed_at if dossier.status == DossierStatus.COMPLETED else None
    if finished and dossier.due_at and finished > dossier.due_at:
        return f"{label} (quá hạn)"
    return label


def register_rows(*, agency: Agency, date_from: date, date_to: date) -> list[RegisterRow]:
    """The agency's dossiers received on days date_from..date_to (office time), in the order received."""
    start, end = _window(date_from, date_to)
    dossiers = list(
        Dossier.objects.filter(agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure")
        .order_by("received_at", "id")[: MAX_ROWS + 1]
    )
    if len(dossiers) > MAX_ROWS:
        raise ServiceError(_(ERR_TOO_MANY).format(rows=MAX_ROWS), field="to")
    results = dict(
        DossierEvent.objects.filter(dossier__in=[d.pk for d in dossiers], to_status=DossierStatus.RESULT_READY)
        .values("dossier_id")
        .annotate(first=Min("created_at"))
        .values_list("dossier_id", "first")
    )
    return [
        RegisterRow(
            number,
            d.code or "—",
            d.procedure.name,
            d.applicant_name,
            d.get_channel_display(),
            d.received_at,
            d.due_at,
            results.get(d.pk),
            d.completed_at,
            _status(d),
        )
        for number, d in enumerate(dossiers, start=1)
    ]


def _period(date_from: date, date_to: date) -> str:
    return f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"


def register_pdf(*, agency: Agency, date_from: date, date_to: date, rows: list[RegisterRow]) -> bytes:
    number, title, _slug = REGISTER
    paper = Paper(pagesize=landscape(A4), margin=10 * mm, title=f"{title.capitalize()} {agency.code}", size=9)
    paper.letterhead(
        agency.name, number=f"Mã cơ quan: {agency.code}", place_date=date_in_words(clock.now()).capitalize()
    )
    paper.heading(title, subtitle=f"(Mẫu số {number}, Thông tư 01/2018/TT-VPCP) — {_period(date_from, date_to)}")
    paper.table(HEADER, [row.cells() for row in rows], widths=WIDTHS, size=7)
    paper.paragraph(f"Tổng số: {len(rows)} hồ sơ. {DISCLAIMER}", size=7.5, space_before=4)
    return paper.render()


def _naive_local(value: datetime | None):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def register_xlsx(*, agency: Agency, date_from: date, date_to: date, rows: list[RegisterRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi ho so"
    sheet.append([spreadsheet_safe(f"{REGISTER[1]} — {agency.name} ({agency.code})")])
    sheet.append([_period(date_from, date_to)])
    sheet.append(list(HEADER))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        texts = [spreadsheet_safe(v) for v in (row.code, row.procedure, row.applicant, row.channel)]
        moments = [_naive_local(v) for v in (row.received_at, row.due_at, row.result_at, row.closed_at)]
        sheet.append([row.number, *texts, *moments, spreadsheet_safe(row.status)])
    for column in "FGHI":
        for cell in sheet[column][3:]:
            cell.number_format = "dd/mm/yyyy hh:mm"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = width * 2 + 4
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
