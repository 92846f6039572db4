"""Sample files for the attachment tests, generated in code so every byte is visible here."""

import io

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
