"""Vietnamese identifiers: mobile phone, CCCD (personal identification number), tax code.

Each `normalize_*` function accepts what people type (spaces, dots, +84, a hyphen in a
branch tax code), returns the canonical digits that are stored, and raises Django's
ValidationError with one of the messages below, so forms, serializers and services
all speak the same words.
"""

import re
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Số điện thoại di động không hợp lệ (10 chữ số, đầu số của nhà mạng Việt Nam).")
# Numbering plans change (the 2018 move from 11 to 10 digits, new prefixes): libphonenumber's metadata keeps up.
MOBILE_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})
NATIONAL_ID_FORMAT = _("Số CCCD phải gồm đúng 12 chữ số.")
NATIONAL_ID_PROVINCE = _("Ba chữ số đầu của số CCCD không phải là mã tỉnh, thành phố hợp lệ.")
NATIONAL_ID_CENTURY = _("Chữ số thứ tư của số CCCD (thế kỷ và giới tính) phải từ 0 đến 3.")
NATIONAL_ID_BIRTH_YEAR = _("Năm sinh trong số CCCD nằm trong tương lai.")
TAX_CODE_INVALID = _("Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số đối với đơn vị phụ thuộc (dạng 0123456789-001).")

NATIONAL_ID_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")
_SEPARATORS_RE = re.compile(r"[\s.\-()]")

# Province codes of the place of birth registration (Thông tư 07/2016/TT-BCA, Phụ lục 1).
PROVINCE_CODES = frozenset(
    {
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
        "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
        "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
        "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
        "089", "091", "092", "093", "094", "095", "096",
    }
)  # fmt: skip

# The 4th digit encodes century and gender: 0/1 born 1900–1999, 2/3 born 2000–2099.
_CENTURY_BY_DIGIT = {"0": 1900, "1": 1900, "2": 2000, "3": 2000}


def normalize_phone(value: str) -> str:
    """'+84 90 123 4567', '090.123.4567' → '0901234567': a Vietnamese mobile number, as libphonenumber knows them."""
    digits = _SEPARATORS_RE.sub("", str(value or "").strip())
    if digits.startswith("84") and len(digits) == 11:
        digits = "+" + digits
    if not re.fullmatch(r"\+?\d{9,12}", digits):
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(PHONE_INVALID, code="invalid_phone") from exc
    if (
        number.country_code != 84
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    national = f"0{number.national_number}"
    if len(national) != 10:
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    return national


def is_mobile_phone(value: str) -> bool:
    try:
        normalize_phone(value)
    except ValidationError:
        return False
    return True


def looks_like_national_id(value: str) -> bool:
    return bool(NATIONAL_ID_RE.match(re.sub(r"\s", "", str(value or ""))))


def normalize_national_id(value: str, *, today: date | None = None) -> str:
    digits = re.sub(r"\s", "", str(value or ""))
    if not NATIONAL_ID_RE.match(digits):
        raise ValidationError(NATIONAL_ID_FORMAT, code="invalid_national_id")
    if digits[:3] not in PROVINCE_CODES:
        raise ValidationError(NATIONAL_ID_PROVINCE, code="invalid_national_id_province")
    century = _CENTURY_BY_DIGIT.get(digits[3])
    if century is None:
        raise ValidationError(NATIONAL_ID_CENTURY, code="invalid_national_id_century")
    today = today or timezone.localdate()
    if century + int(digits[4:6]) > today.year:
        raise ValidationError(NATIONAL_ID_BIRTH_YEAR, code="invalid_national_id_birth_year")
    return digits


def normalize_tax_code(value: str) -> str:
    """'0123456789-001' → '0123456789001'; a head office keeps its 10 digits."""
    match = TAX_CODE_RE.match(re.sub(r"\s", "", str(value or "")))
    if not match:
        raise ValidationError(TAX_CODE_INVALID, code="invalid_tax_code")
    return match.group(1) + (match.group(2) or "")
