"""Small helpers for the PDFs the portal issues (receipts, slips): a Vietnamese-capable font and QR codes.

reportlab's built-in Helvetica has no Vietnamese glyphs, so DejaVu Sans (shipped in
portal/fonts, free licence) is registered once and used throughout.
"""

import io
from functools import cache
from pathlib import Path

import segno
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def qr_image(content: str, *, scale: int = 4) -> ImageReader:
    buffer = io.BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=scale, border=1)
    buffer.seek(0)
    return ImageReader(buffer)


def wrap_text(text: str, *, font: str, size: float, width: float) -> list[str]:
    """Split text into lines that fit `width` points."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
