import hashlib
import io
import json
import subprocess
import sys
import time
import tracemalloc
import zlib

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from dossiers import uploads
from dossiers.scanning import ScannerUnavailableError
from dossiers.uploads import SizeLimitedUploadHandler, inspect_upload
from portal.errors import ServiceError
from tests.dossiers import files

ALL_TYPES = ["pdf", "jpeg", "png"]


class DownScanner:
    def scan(self, data: bytes) -> None:
        raise ScannerUnavailableError("clamd is not answering")


class Unsized:
    """An upload whose size nobody declared: the limit must hold while reading."""

    def __init__(self, data: bytes):
        self._stream = io.BytesIO(data)
        self.name = "khong-ro.pdf"
        self.size = None

    def seek(self, position):
        self._stream.seek(position)

    def read(self, count=-1):
        return self._stream.read(count)


def upload(data: bytes, name: str = "giay-to.pdf") -> SimpleUploadedFile:
    # The client's content type is a lie on purpose: it must never matter.
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def rejection(data: bytes, *, accepted=ALL_TYPES, name="giay-to.pdf") -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        inspect_upload(upload(data, name), accepted_types=accepted)
    assert caught.value.field == "file"
    assert caught.value.status_code == 400
    return caught.value


def test_pdf_is_accepted_as_it_was_sent():
    data = files.pdf_bytes(pages=2)
    checked = inspect_upload(upload(data, "don.pdf"), accepted_types=["pdf"])
    assert checked.content_type == "application/pdf"
    assert checked.content == data
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.original_name == "don.pdf"


def test_jpeg_is_reencoded_without_exif_and_turned_upright():
    data = files.jpeg_with_exif(size=(64, 32), orientation=6)
    assert Image.open(io.BytesIO(data)).getexif()

    checked = inspect_upload(upload(data, "anh-cccd.JPG"), accepted_types=ALL_TYPES)

    image = Image.open(io.BytesIO(checked.content))
    assert checked.content_type == "image/jpeg"
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert image.size == (32, 64)  # the rotation the EXIF asked for is applied to the pixels
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    assert checked.original_name == "anh-cccd.JPG"


def test_png_is_reencoded_without_exif_and_keeps_transparency():
    data = files.png_bytes(mode="RGBA")
    assert Image.open(io.BytesIO(data)).getexif()

    checked = inspect_upload(upload(data, "so-do.png"), accepted_types=["png"])

    image = Image.open(io.BytesIO(checked.content))
    assert checked.content_type == "image/png"
    assert dict(image.getexif()) == {}
    assert image.mode == "RGBA"


def test_the_name_gets_the_extension_of_the_content():
    checked = inspect_upload(upload(files.png_bytes(), "C:\\Users\\an\\ban-ve.pdf"), accepted_types=ALL_TYPES)
    assert checked.original_name == "ban-ve.png"
    checked = inspect_upload(upload(files.pdf_bytes(), "../../etc/\x00passwd"), accepted_types=ALL_TYPES)
    assert checked.original_name == "passwd.pdf"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (files.windows_executable, uploads.ERR_EXECUTABLE),
        (files.elf_executable, uploads.ERR_EXECUTABLE),
        (lambda: b"#!/bin/sh\nrm -rf /\n", uploads.ERR_EXECUTABLE),
        (lambda: b"Day khong phai la PDF", uploads.ERR_UNSUPPORTED_TYPE),
        (lambda: b"GIF89a" + b"\0" * 64, uploads.ERR_UNSUPPORTED_TYPE),
        (
            lambda: files.truncated(files.png_bytes(size=(400, 300), mode="RGB", with_exif=False)),
            uploads.ERR_IMAGE_DAMAGED,
        ),
        (lambda: files.truncated(files.large_photo_jpeg()), uploads.ERR_IMAGE_DAMAGED),
        (lambda: files.truncated(files.pdf_bytes()), uploads.ERR_PDF_DAMAGED),
        (files.encrypted_pdf, uploads.ERR_PDF_ENCRYPTED),
        (files.pdf_with_javascript, uploads.ERR_PDF_ACTIVE_CONTENT),
        (files.pdf_with_embedded_file, uploads.ERR_PDF_ACTIVE_CONTENT),
        (lambda: b"", uploads.ERR_EMPTY),
    ],
    ids=[
        "exe-renamed-pdf",
        "elf",
        "script",
        "text",
        "gif",
        "truncated-png",
        "truncated-jpeg",
        "truncated-pdf",
        "encrypted-pdf",
        "pdf-javascript",
        "pdf-embedded-file",
        "empty",
    ],
)
def test_bad_files_are_rejected_with_their_reason(make, message):
    assert rejection(make()).message == message


def test_decompression_bomb_is_rejected_before_decoding():
    data = files.decompression_bomb_png()
    assert len(data) < 200_000
    error = rejection(data, name="bom.png")
    assert error.message == uploads.ERR_IMAGE_TOO_LARGE.format(limit="50")


def test_pixel_limit_follows_settings(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    error = rejection(files.png_bytes(size=(40, 30)), name="nho.png")
    assert error.message == uploads.ERR_IMAGE_TOO_LARGE.format(limit="0.001")


def test_jpeg_header_followed_by_a_pdf_is_rejected():
    polyglot = files.jpeg_with_exif()[:20] + files.pdf_bytes()
    error = rejection(polyglot)
    assert error.message == uploads.ERR_TYPE_MISMATCH.format(type="JPEG")


def test_oversized_file_is_rejected(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    error = rejection(files.pdf_bytes() + b"%" * 2048)
    assert error.message == uploads.ERR_TOO_LARGE.format(limit="1 KB")


def test_oversized_file_without_a_declared_size_is_read_only_to_the_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ServiceError) as caught:
        inspect_upload(Unsized(b"%PDF-1.4\n" + b"0" * 5000), accepted_types=ALL_TYPES)
    assert caught.value.message == uploads.ERR_TOO_LARGE.format(limit="1 KB")


def test_type_not_accepted_for_this_document():
    error = rejection(files.png_bytes(), accepted=["pdf"], name="anh.png")
    assert error.message == uploads.ERR_TYPE_NOT_ACCEPTED.format(type="PNG", accepted="PDF")


def test_pdf_page_cap(settings):
    settings.ATTACHMENT_MAX_PDF_PAGES = 2
    assert inspect_upload(upload(files.pdf_bytes(pages=2)), accepted_types=["pdf"])
    error = rejection(files.pdf_bytes(pages=3))
    assert error.message == uploads.ERR_PDF_TOO_MANY_PAGES.format(limit=2)


def test_eicar_is_stopped_by_the_test_scanner(settings):
    assert inspect_upload(upload(files.eicar_in_pdf()), accepted_types=["pdf"])  # the no-op default
    settings.ATTACHMENT_SCANNER = "dossiers.scanning.EicarScanner"
    error = rejection(files.eicar_in_pdf())
    assert error.message == uploads.ERR_INFECTED


def test_a_scanner_that_cannot_answer_refuses_the_file(settings):
    settings.ATTACHMENT_SCANNER = f"{__name__}.DownScanner"
    error = rejection(files.pdf_bytes())
    assert error.message == uploads.ERR_SCANNER_UNAVAILABLE


def test_upload_handler_stops_writing_past_the_limit_but_reports_the_true_size(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    handler = SizeLimitedUploadHandler(RequestFactory().post("/"))
    handler.new_file("file", "to.pdf", "application/pdf", 5000)
    for start in range(0, 5000, 500):
        assert handler.receive_data_chunk(b"x" * 500, start) is None
    uploaded = handler.file_complete(5000)
    try:
        assert uploaded.size == 5000
        uploaded.seek(0)
        assert len(uploaded.read()) == 1025
        with pytest.raises(ServiceError) as caught:
            inspect_upload(uploaded, accepted_types=ALL_TYPES)
        assert caught.value.message == uploads.ERR_TOO_LARGE.format(limit="1 KB")
    finally:
        uploaded.close()


# --- memory budgets: images by their decoded size, PDFs by what their streams inflate to -----------

BOMB_SIDE = 7070  # 49.98 MP: under the pixel limit, 200 MB once decoded as RGBA


def test_image_over_the_memory_budget_is_refused_from_its_header():
    data = files.zeros_png(BOMB_SIDE, BOMB_SIDE)
    decoded = BOMB_SIDE * BOMB_SIDE * 4
    assert len(data) < 250_000
    Image.core.reset_stats()  # Pillow counts every pixel buffer it creates; none may be made
    tracemalloc.start()
    try:
        error = rejection(data, name="anh.png")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.message == uploads.ERR_IMAGE_TOO_LARGE_TO_DECODE.format(width=7070, height=7070, limit="16,7")
    assert Image.core.get_stats()["new_count"] == 0
    assert peak < decoded / 100


@pytest.mark.parametrize(
    ("make", "accepted"),
    [
        (lambda: files.png_bytes(size=(1000, 1000), mode="L", with_exif=False), True),
        (lambda: files.png_bytes(size=(1000, 1000), mode="P", with_exif=False), True),
        (lambda: files.png_bytes(size=(1000, 1000), mode="I;16", with_exif=False), True),  # two bytes a pixel
        (lambda: files.png_bytes(size=(1000, 1000), mode="RGB", with_exif=False), False),  # padded to four
        (lambda: files.png_bytes(size=(1000, 1000), mode="RGBA", with_exif=False), False),
        (lambda: files.cmyk_jpeg(size=(1000, 1000)), False),  # converted to RGB before saving
    ],
    ids=["grey", "palette", "16-bit-grey", "rgb", "rgba", "cmyk-jpeg"],
)
def test_memory_budget_counts_the_bytes_each_pixel_takes(settings, make, accepted):
    settings.UPLOAD_IMAGE_MAX_DECODED_BYTES = 2_000_000
    data = make()
    if accepted:
        assert inspect_upload(upload(data, "anh"), accepted_types=ALL_TYPES).content
    else:
        error = rejection(data, name="anh")
        assert error.message == uploads.ERR_IMAGE_TOO_LARGE_TO_DECODE.format(width=1000, height=1000, limit="0,5")


def test_pixel_limit_is_checked_before_the_memory_budget():
    error = rejection(files.decompression_bomb_png(), name="bom.png")
    assert error.message == uploads.ERR_IMAGE_TOO_LARGE.format(limit="50")


def test_cmyk_jpeg_is_converted_and_still_turned_upright():
    image = Image.new("CMYK", (64, 32))
    exif = image.getexif()
    exif[files.ORIENTATION] = 6
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)

    checked = inspect_upload(upload(output.getvalue(), "anh.jpg"), accepted_types=ALL_TYPES)

    stored = Image.open(io.BytesIO(checked.content))
    assert (stored.mode, stored.size) == ("RGB", (32, 64))
    assert dict(stored.getexif()) == {}


def peak_rise_of_inspecting(tmp_path, data: bytes, accepted: str) -> int:
    path = tmp_path / "upload"
    path.write_bytes(data)
    finished = subprocess.run(
        [sys.executable, "-m", "tests.dossiers.measure_upload_memory", str(path), accepted],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(finished.stdout.splitlines()[-1])["peak_rise_bytes"]


def noisy_photo(size, *, orientation: int | None = None, mode: str = "RGB") -> bytes:
    image = Image.effect_noise(size, 40).convert(mode)
    exif = image.getexif()
    if orientation:
        exif[files.ORIENTATION] = orientation
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85, exif=exif)
    return output.getvalue()


@pytest.mark.parametrize(
    ("orientation", "mode", "copies"),
    [(None, "RGB", 1.7), (6, "RGB", 2.6), (6, "CMYK", 2.6)],
    ids=["upright", "turned", "cmyk-turned"],
)
def test_reencoding_holds_few_decoded_copies_at_once(tmp_path, orientation, mode, copies):
    """An upright photo is re-encoded from its one decoded copy (two were held before: a copy for turning, and
    libjpeg's optimizer); turning or converting needs a second copy for a moment, never a third."""
    size = (3000, 2000)
    decoded = size[0] * size[1] * 4
    rise = peak_rise_of_inspecting(tmp_path, noisy_photo(size, orientation=orientation, mode=mode), "jpeg")
    assert rise < copies * decoded


def test_pdf_bomb_is_refused_quickly_with_bounded_memory():
    data = files.pdf_bomb(inflated_bytes=200 * 1024 * 1024)
    assert len(data) < 250_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        error = rejection(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.message == uploads.ERR_PDF_INFLATES_TOO_MUCH.format(limit="100 MB")
    assert peak < 5 * 1024 * 1024
    assert time.monotonic() - started < 10


def test_pdf_bomb_hidden_in_an_object_stream_is_measured_before_pypdf_unpacks_it():
    data = files.pdf_bomb_in_object_stream(inflated_bytes=200 * 1024 * 1024)
    tracemalloc.start()
    try:
        error = rejection(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.message == uploads.ERR_PDF_INFLATES_TOO_MUCH.format(limit="100 MB")
    assert peak < 5 * 1024 * 1024


def test_pdf_with_an_object_stream_within_the_budget_is_accepted():
    assert inspect_upload(upload(files.pdf_bomb_in_object_stream(inflated_bytes=1000)), accepted_types=["pdf"])


@pytest.mark.parametrize(
    ("stream", "filters"),
    [
        (files.deflated_zeros(2 * 1024 * 1024), "/FlateDecode"),
        (files.deflated_zeros(2 * 1024 * 1024).hex().encode() + b">", "[/ASCIIHexDecode /FlateDecode]"),
        # Flate before another filter is left to pypdf, with its cap lowered to the budget: 4 MiB of hex digits.
        (zlib.compress(b"0" * 4 * 1024 * 1024), "[/FlateDecode /ASCIIHexDecode]"),
    ],
    ids=["flate", "hex-then-flate", "flate-then-hex"],
)
def test_pdf_inflation_budget_follows_settings_and_counts_every_decoder(settings, stream, filters):
    data = files.pdf_with_stream(stream, filters)
    assert inspect_upload(upload(data), accepted_types=["pdf"])  # 2 MiB of zeros is well within 100 MiB
    settings.UPLOAD_PDF_MAX_INFLATED_BYTES = 1024 * 1024
    assert rejection(data).message == uploads.ERR_PDF_INFLATES_TOO_MUCH.format(limit="1 MB")


def test_pdf_image_codecs_are_counted_as_stored_not_decoded(settings):
    settings.UPLOAD_PDF_MAX_INFLATED_BYTES = 1024 * 1024
    jpeg = files.large_photo_jpeg(size=(1200, 900))  # ~4 MB once decoded, far less as stored
    assert len(jpeg) < 1024 * 1024
    assert inspect_upload(upload(files.pdf_with_stream(jpeg, "/DCTDecode")), accepted_types=["pdf"])
