"""The one layout of every paper the portal issues (the Circular 01/2018 forms, the e-receipt), built on
reportlab's flowing layout (platypus).

reportlab's built-in Helvetica has no Vietnamese glyphs, so DejaVu Sans (shipped in
portal/fonts, free licence) is registered once and used throughout. A paper is a story of
flowables: values wrap inside their column and a long list of papers runs onto the next page
instead of off the bottom of the first.
"""

import io
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
LEADING = 1.35  # line height as a multiple of the font size
# The national motto takes the right part of the letterhead, the agency (and QR code) the left.
MOTTO_SHARE = 0.6
FRAME_PADDING = 6  # points; the padding reportlab's page frame keeps inside the margins


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def qr_image(content: str, *, scale: int = 4) -> ImageReader:
    buffer = io.BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=scale, border=1)
    buffer.seek(0)
    return ImageReader(buffer)


def text_style(size: float, *, bold: bool = False, align: str = "left", **extra) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"{'bold' if bold else 'regular'}-{size}-{align}",
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=size * LEADING,
        alignment=ALIGNMENTS[align],
        **extra,
    )


def text(value: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: whatever the value holds (&, <) is printed, never read as markup."""
    return Paragraph(escape(value), style)


class QrCode(Flowable):
    """A square QR code image of a given side."""

    def __init__(self, image: ImageReader, size: float):
        super().__init__()
        self.image, self.size = image, size

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        self.canv.drawImage(self.image, 0, 0, self.size, self.size)


class FittedLine(Flowable):
    """One line that is never broken: its font shrinks until the whole text fits the width.

    For what a reader must copy whole, such as a verification URL.
    """

    def __init__(self, value: str, *, size: float, font: str = REGULAR):
        super().__init__()
        self.value, self.max_size, self.font = value, size, font
        self.size = size

    def wrap(self, avail_width, avail_height):
        natural = pdfmetrics.stringWidth(self.value, self.font, 1)
        self.size = min(self.max_size, avail_width / natural) if natural else self.max_size
        return avail_width, self.size * LEADING

    def draw(self):
        self.canv.setFont(self.font, self.size)
        self.canv.drawString(0, self.size * (LEADING - 1), self.value)


class Paper:
    """One paper being written: letterhead, title, label/value rows and paragraphs, in that order of calls.

    `render()` lays the story out on as many pages as it needs; `footer` is printed at the foot of each page.
    """

    def __init__(self, *, pagesize: tuple[float, float], margin: float, title: str, size: float = 10):
        register_fonts()
        self.pagesize, self.margin, self.title, self.size = pagesize, margin, title, size
        self.width = pagesize[0] - 2 * (margin + FRAME_PADDING)
        self.story: list[Flowable] = []
        # What every QR code on the paper encodes, so that tests and reviewers can read it back.
        self.qr_contents: list[str] = []

    def letterhead(
        self,
        agency: str,
        *,
        qr_content: str = "",
        qr_size: float = 30 * mm,
        qr_caption="",
        number: str = "",
        place_date: str = "",
    ):
        """The issuing agency (under an optional QR code, above the paper's number) on the left, the
        national motto (above the place and date) on the right."""
        left: list[Flowable] = []
        if qr_content:
            self.qr_contents.append(qr_content)
            left.append(QrCode(qr_image(qr_content), qr_size))
            if qr_caption:
                left.append(text(qr_caption, text_style(self.size - 2, align="center")))
        left.append(text(agency.upper(), text_style(self.size, bold=True, align="center", spaceBefore=2)))
        if number:
            left.append(text(number, text_style(self.size - 1, align="center", spaceBefore=2)))
        motto_width = self.width * MOTTO_SHARE
        motto_size = min(self.size + 1, motto_width / pdfmetrics.stringWidth(NATION, BOLD, 1))
        right = [
            text(NATION, text_style(motto_size, bold=True, align="center")),
            text(MOTTO, text_style(motto_size, bold=True, align="center")),
        ]
        if place_date:
            right.append(text(place_date, text_style(self.size - 1, align="center", spaceBefore=4)))
        table = Table([[left, right]], colWidths=[self.width - motto_width, motto_width])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (0, 0), (0, 0), "CENTER"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        self.story.append(table)

    def heading(self, title: str, *, subtitle: str = "", space: float = 8 * mm):
        """The paper's title (and subtitle), `space` below the letterhead and three quarters of it above the body."""
        self.story.append(text(title, text_style(self.size + 4, bold=True, align="center", spaceBefore=space)))
        if subtitle:
            self.story.append(text(subtitle, text_style(self.size - 1, align="center")))
        self.story.append(Spacer(0, space * 0.75))

    def rows(self, rows: Sequence[tuple[str, str]], *, label_width: float):
        """Label/value rows; both sides wrap in their column, and a page may end between two rows."""
        label_style, value_style = text_style(self.size, bold=True), text_style(self.size)
        cells = [[text(f"{label}:", label_style), text(value, value_style)] for label, value in rows]
        table = Table(cells, colWidths=[label_width, self.width - label_width])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.story.append(table)

    def paragraph(self, value: str, *, size: float | None = None, bold=False, space_before=0, space_after=2):
        style = text_style(size or self.size, bold=bold, spaceBefore=space_before, spaceAfter=space_after)
        self.story.append(text(value, style))

    def bullets(self, items: Iterable[str]):
        style = text_style(self.size, leftIndent=4 * mm, bulletIndent=0, bulletFontName=REGULAR, spaceAfter=2)
        self.story.extend(Paragraph(escape(item), style, bulletText="•") for item in items)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[float], size=None):
        """A ruled table whose header repeats on every page; widths are shares of the text width."""
        size = size or self.size - 1
        head_style, cell_style = text_style(size, bold=True, align="center"), text_style(size)
        cells = [[text(value, head_style) for value in header]]
        cells += [[text(str(value), cell_style) for value in row] for row in rows]
        total = sum(widths)
        table = Table(cells, colWidths=[self.width * w / total for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, "#444444"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        self.story.append(table)

    def signatures(self, *signers: tuple[str, str]):
        """Signers side by side (role above, name below the room for a signature), kept on one page."""
        style_role, style_name = text_style(self.size, bold=True, align="center"), text_style(self.size, align="center")
        cells = [[[text(role, style_role), Spacer(0, 14 * mm), text(name, style_name)] for role, name in signers]]
        table = Table(cells, colWidths=[self.width / len(signers)] * len(signers))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3 * mm)]))
        self.story.append(KeepTogether([table]))

    def fitted_line(self, value: str, *, size: float | None = None):
        self.story.append(FittedLine(value, size=size or self.size))

    def signature(self, role: str, name: str):
        """The signer's role and, below the room for a signature, their name, kept on one page."""
        block = [
            text(role, text_style(self.size, bold=True, align="right", spaceBefore=6 * mm)),
            Spacer(0, 18 * mm),
            text(name, text_style(self.size, align="right")),
        ]
        self.story.append(KeepTogether(block))

    def render(self, *, footer: str = "") -> bytes:
        buffer = io.BytesIO()
        footer_room = 6 * mm if footer else 0
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin + footer_room,
            title=self.title,
        )

        def draw_footer(canvas, _document):
            if footer:
                canvas.setFont(REGULAR, self.size - 1)
                canvas.drawString(self.margin + FRAME_PADDING, self.margin, footer)

        document.build(list(self.story), onFirstPage=draw_footer, onLaterPages=draw_footer)
        return buffer.getvalue()
