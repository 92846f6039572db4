"""Sample files for the attachment tests, generated in code so every byte is visible here."""

import functools
import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from dossiers.scanning import EicarScanner

ORIENTATION = 0x0112
CAMERA_MAKE = 0x010F


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return _written(writer)


def pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    return _written(writer)


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("payload.exe", b"MZ" + b"\0" * 64)
    return _written(writer)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="1234", owner_password="owner")
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def jpeg_with_exif(*, size=(64, 32), orientation: int = 6) -> bytes:
    """A landscape photo whose EXIF says "rotate 90°" and names the camera."""
    image = Image.new("RGB", size, "red")
    exif = image.getexif()
    exif[ORIENTATION] = orientation
    exif[CAMERA_MAKE] = "Máy ảnh thử"
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def png_bytes(*, size=(40, 30), mode="RGBA", with_exif: bool = True) -> bytes:
    image = Image.new(mode, size)
    options = {}
    if with_exif:
        exif = image.getexif()
        exif[CAMERA_MAKE] = "Máy quét thử"
        options["exif"] = exif
    output = io.BytesIO()
    image.save(output, format="PNG", **options)
    return output.getvalue()


def large_photo_jpeg(size=(1200, 900)) -> bytes:
    image = Image.effect_noise(size, 40).convert("RGB")
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


def decompression_bomb_png(size=(20000, 12000)) -> bytes:
    """240 megapixels of one colour: a few dozen KB on disk, gigabytes once decoded."""
    output = io.BytesIO()
    Image.new("1", size).save(output, format="PNG", optimize=True)
    return output.getvalue()


def cmyk_jpeg(size=(40, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("CMYK", size, (0, 255, 255, 0)).save(output, format="JPEG")
    return output.getvalue()


@functools.cache
def deflated_zeros(count: int, *, after: bytes = b"") -> bytes:
    """`after` then `count` zero bytes as one zlib stream, compressed piece by piece (zeros shrink ~1000:1)."""
    compressor = zlib.compressobj(6)
    piece = bytes(1024 * 1024)
    parts = [compressor.compress(after)]
    parts += [compressor.compress(piece[: min(len(piece), count - start)]) for start in range(0, count, len(piece))]
    return b"".join(parts) + compressor.flush()


def zeros_png(width: int, height: int) -> bytes:
    """An RGBA PNG written by hand: a true header and one IDAT inflating to height x (1 + 4 x width) zero bytes.

    7070 x 7070 is under the 50 MP limit, about 200 KB on disk and 200 MB once decoded.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no filter, no interlace
    pixels = deflated_zeros(height * (1 + 4 * width))  # each row: filter byte 0, then transparent black
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_with_stream(data: bytes, filters: str = "/FlateDecode") -> bytes:
    """A one-page PDF, written by hand, whose content stream is `data` stored as is under `filters`."""
    return _pdf_with_xref_table(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream" % (len(data), filters.encode(), data),
        ]
    )


def pdf_bomb(inflated_bytes: int = 200 * 1024 * 1024) -> bytes:
    """A small PDF whose one content stream inflates to `inflated_bytes` zeros."""
    return pdf_with_stream(deflated_zeros(inflated_bytes))


def pdf_bomb_in_object_stream(inflated_bytes: int = 200 * 1024 * 1024) -> bytes:
    """A small PDF whose page tree sits in a compressed object stream padded with `inflated_bytes` zeros.

    pypdf must unpack that stream just to find the pages; object streams only exist beside a
    cross-reference stream, so that is written too.
    """
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    header = b"2 0 "  # object 2 starts at offset 0 after /First
    packed_stream = deflated_zeros(inflated_bytes, after=header + pages + b" ")
    objects = [
        b"1 0 obj\n" + catalog + b"\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n",
        b"4 0 obj\n<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n"
        % (len(header), len(packed_stream), packed_stream),
    ]
    output = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in zip((1, 3, 4), objects, strict=True):
        offsets[number] = len(output)
        output += body
    xref_offset = len(output)
    rows = [
        struct.pack(">BIH", 0, 0, 65535),
        struct.pack(">BIH", 1, offsets[1], 0),
        struct.pack(">BIH", 2, 4, 0),  # object 2 is entry 0 of object stream 4
        struct.pack(">BIH", 1, offsets[3], 0),
        struct.pack(">BIH", 1, offsets[4], 0),
        struct.pack(">BIH", 1, xref_offset, 0),
    ]
    table = b"".join(rows)
    output += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n"
        % (len(table), table)
    )
    output += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(output)


def _pdf_with_xref_table(bodies: list[bytes]) -> bytes:
    output = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_offset = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref_offset)
    return bytes(output)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def windows_executable() -> bytes:
    """The start of a PE file: DOS header, stub message, PE signature."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 56)
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    stub = b"This program cannot be run in DOS mode.\r\r\n$".ljust(0x80 - len(header), b"\0")
    return bytes(header) + stub + b"PE\0\0" + b"\0" * 256


def elf_executable() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\0" * 120


def eicar_in_pdf() -> bytes:
    """A well-formed PDF carrying the EICAR test string after its end: only a scanner stops it."""
    return pdf_bytes() + b"\n" + EicarScanner.SIGNATURE + b"\n"
