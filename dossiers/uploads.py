"""Checking an uploaded attachment before anything is stored.

The type is decided by the content (magic bytes), then the file must parse as that type:
images are decoded under a pixel limit and a memory budget read from the header, then
re-encoded (no EXIF, orientation applied); PDFs must parse strictly, inflate within a budget
and carry no active content. Every rejection is a ServiceError on the field "file" with one
of the messages below.
"""

import hashlib
import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from dossiers.pdf_inflation import InflationBudget, InflationLimitExceeded, pypdf_capped_at
from dossiers.scanning import InfectedFileError, ScannerUnavailableError, get_scanner
from portal.errors import ServiceError

ERR_EMPTY = gettext_noop("Tệp rỗng, không có nội dung.")
ERR_TOO_LARGE = gettext_noop("Tệp vượt quá dung lượng cho phép ({limit}).")
ERR_EXECUTABLE = gettext_noop("Tệp là chương trình máy tính, không phải giấy tờ. Chỉ nhận tệp PDF, JPEG hoặc PNG.")
ERR_UNSUPPORTED_TYPE = gettext_noop("Định dạng tệp không được hỗ trợ. Chỉ nhận tệp PDF, JPEG hoặc PNG.")
ERR_TYPE_NOT_ACCEPTED = gettext_noop("Giấy tờ này không nhận tệp {type}; chỉ nhận: {accepted}.")
ERR_TYPE_MISMATCH = gettext_noop("Nội dung tệp không đúng định dạng {type} như phần đầu tệp khai báo.")
ERR_IMAGE_DAMAGED = gettext_noop("Tệp ảnh bị hỏng hoặc không đầy đủ.")
ERR_IMAGE_TOO_LARGE = gettext_noop(
    "Ảnh có quá nhiều điểm ảnh (tối đa {limit} triệu); hãy chụp hoặc quét lại với độ phân giải thấp hơn."
)
ERR_IMAGE_TOO_LARGE_TO_DECODE = gettext_noop(
    "Ảnh {width}×{height} điểm ảnh quá lớn để xử lý (ảnh loại này tối đa khoảng {limit} triệu điểm ảnh); "
    "hãy chụp hoặc quét lại với độ phân giải thấp hơn."
)
ERR_PDF_DAMAGED = gettext_noop("Tệp PDF bị hỏng hoặc không đọc được.")
ERR_PDF_ENCRYPTED = gettext_noop("Tệp PDF có mật khẩu hoặc bị mã hoá; hãy nộp bản không đặt mật khẩu.")
ERR_PDF_ACTIVE_CONTENT = gettext_noop(
    "Tệp PDF chứa mã lệnh, hành động tự động hoặc tệp nhúng; hãy nộp bản PDF thông thường."
)
ERR_PDF_INFLATES_TOO_MUCH = gettext_noop(
    "Nội dung tệp PDF khi giải nén quá lớn (tối đa {limit}) hoặc quá phức tạp để đọc; "
    "hãy xuất lại thành bản PDF thông thường."
)
ERR_PDF_TOO_MANY_PAGES = gettext_noop("Tệp PDF có quá {limit} trang.")
ERR_INFECTED = gettext_noop("Tệp bị phát hiện có mã độc nên không được nhận.")
ERR_SCANNER_UNAVAILABLE = gettext_noop("Chưa kiểm tra được tệp để phòng mã độc; vui lòng thử lại sau ít phút.")

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SUPPORTED_TYPES = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
IMAGE_TYPES = frozenset({JPEG, PNG})
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
# RequiredDocument.accepted_types holds short names; MIME types are accepted too.
SHORT_TYPE_NAMES = {"pdf": PDF, "jpeg": JPEG, "jpg": JPEG, "png": PNG}
EXECUTABLE_TYPES = frozenset({"application/x-msdownload", "application/x-executable", "application/x-mach-binary"})
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
# JPEG keeps only these modes; any other is converted to RGB before saving.
JPEG_MODES = frozenset({"RGB", "L"})
# Bytes a pixel takes in Pillow's memory: these modes are narrow, every other one takes four (RGB is padded).
PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
WIDE_PIXEL_BYTES = 4
# Names that make a PDF act on its own when opened: scripts, automatic actions, launched programs, payloads.
PDF_ACTIVE_NAMES = frozenset(
    {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
SNIFF_BYTES = 8192

# Pillow's own guard, lowered to our limit; the explicit check below follows overridden settings too.
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


@dataclass(frozen=True)
class CheckedFile:
    """Bytes that passed every check, ready to store (images already re-encoded)."""

    content: bytes
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    def as_content_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.original_name)


def _reject(message: str, **values) -> ServiceError:
    return ServiceError(_(message).format(**values), field="file", code="invalid_file")


def normalize_types(accepted_types) -> set[str]:
    return {SHORT_TYPE_NAMES.get(str(name).lower(), str(name).lower()) for name in accepted_types}


def inspect_upload(uploaded_file, *, accepted_types) -> CheckedFile:
    data = _read_within_limit(uploaded_file)
    _scan(data)
    content_type = sniff(data)
    accepted = normalize_types(accepted_types)
    if content_type not in accepted:
        labels = ", ".join(TYPE_LABELS[t] for t in SUPPORTED_TYPES if t in accepted)
        raise _reject(ERR_TYPE_NOT_ACCEPTED, type=TYPE_LABELS[content_type], accepted=labels)
    if content_type == PDF:
        check_pdf(data)
    else:
        data = reencode_image(data, content_type)
    return CheckedFile(
        content=data,
        content_type=content_type,
        original_name=clean_name(getattr(uploaded_file, "name", "") or "", content_type),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _read_within_limit(uploaded_file) -> bytes:
    limit = settings.ATTACHMENT_MAX_BYTES
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > limit:
        raise _reject(ERR_TOO_LARGE, limit=_format_bytes(limit))
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _reject(ERR_TOO_LARGE, limit=_format_bytes(limit))
    if not data:
        raise _reject(ERR_EMPTY)
    return data


def _format_bytes(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MB"
    return f"{count / 1024:g} KB"


def _scan(data: bytes) -> None:
    try:
        get_scanner().scan(data)
    except InfectedFileError:
        raise _reject(ERR_INFECTED) from None
    except ScannerUnavailableError:
        raise _reject(ERR_SCANNER_UNAVAILABLE) from None


def sniff(data: bytes) -> str:
    """The content type by magic bytes only; the name and the client's claim are never asked."""
    head = data[:SNIFF_BYTES]
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime in SUPPORTED_TYPES:
        return mime
    if mime in EXECUTABLE_TYPES or head.startswith(b"#!"):
        raise _reject(ERR_EXECUTABLE)
    raise _reject(ERR_UNSUPPORTED_TYPE)


def reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode fully within the pixel limit and memory budget, turn upright, write a fresh file without metadata.

    At most two decoded copies live at once (while converting, then while turning), each within the budget.
    """
    image = _decoded_image(data, content_type)
    output = io.BytesIO()
    if content_type == JPEG:
        # No optimize=True: it makes libjpeg hold every coefficient of the image at once, a second copy in all but name.
        image.save(output, format="JPEG", quality=90)
    else:
        keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
        image.save(output, format="PNG", optimize=False, **keep)
    return output.getvalue()


def _decoded_image(data: bytes, content_type: str) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            _check_header(data, content_type)
            # verify() left the probe unusable: decode again from the start.
            image = Image.open(io.BytesIO(data))
            image.load()
            if content_type == JPEG and image.mode not in JPEG_MODES:
                image = image.convert("RGB")  # rebinding frees the source before the next copy is made
            ImageOps.exif_transpose(image, in_place=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _reject(ERR_IMAGE_TOO_LARGE, limit=_megapixels()) from None
        except Image.UnidentifiedImageError:
            raise _reject(ERR_TYPE_MISMATCH, type=TYPE_LABELS[content_type]) from None
        except ServiceError:
            raise
        except Exception:  # a hostile file can fail in any decoder step; all of them mean "damaged"
            raise _reject(ERR_IMAGE_DAMAGED) from None
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    return image


def _check_header(data: bytes, content_type: str) -> None:
    """Everything that can be refused from the header alone, before a single pixel is decoded."""
    with Image.open(io.BytesIO(data)) as probe:
        if probe.format != PILLOW_FORMATS[content_type]:
            raise _reject(ERR_TYPE_MISMATCH, type=TYPE_LABELS[content_type])
        _check_pixels(probe.size)
        _check_decoded_size(probe.size, probe.mode, content_type)
        probe.verify()


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _reject(ERR_IMAGE_TOO_LARGE, limit=_megapixels())


def _check_decoded_size(size: tuple[int, int], mode: str, content_type: str) -> None:
    """The largest decoded copy the re-encode holds (the source, or what it is converted to) must fit the budget."""
    saved_mode = "RGB" if content_type == JPEG and mode not in JPEG_MODES else mode
    pixel_bytes = max(_pixel_bytes(mode), _pixel_bytes(saved_mode))
    width, height = size
    budget = settings.UPLOAD_IMAGE_MAX_DECODED_BYTES
    if width * height * pixel_bytes > budget:
        limit = formats.number_format(budget / pixel_bytes / 1_000_000, decimal_pos=1)
        raise _reject(ERR_IMAGE_TOO_LARGE_TO_DECODE, width=width, height=height, limit=limit)


def _pixel_bytes(mode: str) -> int:
    return PIXEL_BYTES.get(mode, WIDE_PIXEL_BYTES)


def _megapixels() -> str:
    return f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}"


def check_pdf(data: bytes) -> None:
    """The PDF must parse strictly, open without a password, inflate within the budget, stay under the page cap
    and carry no active content."""
    budget = InflationBudget(settings.UPLOAD_PDF_MAX_INFLATED_BYTES)
    try:
        with pypdf_capped_at(budget.limit):
            reader = PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted:
                raise _reject(ERR_PDF_ENCRYPTED)
            budget.spend_object_streams(reader)
            page_count = len(reader.pages)
            active = _has_active_content(reader, budget)
    except ServiceError:
        raise
    except (InflationLimitExceeded, LimitReachedError):  # pypdf's own caps are lowered to the budget
        raise _reject(ERR_PDF_INFLATES_TOO_MUCH, limit=_format_bytes(budget.limit)) from None
    except Exception:  # pypdf raises many kinds of errors on malformed input; all mean "damaged"
        raise _reject(ERR_PDF_DAMAGED) from None
    if page_count == 0:
        raise _reject(ERR_PDF_DAMAGED)
    if page_count > settings.ATTACHMENT_MAX_PDF_PAGES:
        raise _reject(ERR_PDF_TOO_MANY_PAGES, limit=settings.ATTACHMENT_MAX_PDF_PAGES)
    if active:
        raise _reject(ERR_PDF_ACTIVE_CONTENT)


def _has_active_content(reader: PdfReader, budget: InflationBudget) -> bool:
    """Walk every object reachable from the trailer (decoded, so compressed streams and #xx names hide nothing).

    Each stream met on the way is charged to the inflation budget, which stops the walk once spent.
    """
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            stack.append(node.get_object())
        elif isinstance(node, DictionaryObject):
            if PDF_ACTIVE_NAMES & set(node.keys()):
                return True
            if isinstance(node, StreamObject):
                budget.spend_stream(node)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, NameObject) and node in PDF_ACTIVE_NAMES:
            return True
    return False


def clean_name(name: str, content_type: str) -> str:
    """The applicant's file name for display and downloads: no path, no control characters, the true extension."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem, extension = os.path.splitext(base.strip(" ."))
    stem = re.sub(r"\s+", " ", stem).strip() or "tep-dinh-kem"
    expected = SUPPORTED_TYPES[content_type]
    if not (extension.lower() == expected or (content_type == JPEG and extension.lower() == ".jpeg")):
        extension = expected
    return f"{stem[:200]}{extension}"


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    """Stops writing an upload to disk past the attachment limit, but reports the true size.

    Django would otherwise spool a huge body to a temporary file before any view runs;
    with this handler inspect_upload still sees the size and answers "too large".
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        room = settings.ATTACHMENT_MAX_BYTES + 1 - self.received
        if room > 0:
            self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.size = self.received
        return uploaded
