from datetime import date

import pytest
from django.core.exceptions import ValidationError

from portal.accounts import validators as v


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0901234567", "0901234567"),
        ("090 123 4567", "0901234567"),
        ("090.123.4567", "0901234567"),
        ("+84 90 123 4567", "0901234567"),
        ("+84901234567", "0901234567"),
        ("84901234567", "0901234567"),
        ("0321234567", "0321234567"),
        ("0871234567", "0871234567"),
        ("0921234567", "0921234567"),
        ("0991234567", "0991234567"),
        ("0701234567", "0701234567"),
        ("0591234567", "0591234567"),
    ],
)
def test_phone_accepted_and_normalised(raw, expected):
    assert v.normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "090123456",  # 9 digits
        "09012345678",  # 11 digits
        "0501234567",
        "0711234567",
        "0801234567",
        "0201234567",  # landline area code
        "+1 202 555 0123",  # not Vietnamese
        "1901234567",
        "+85590123456",
        "09012a4567",
        "01621234567",  # an old 11-digit number
    ],
)
def test_phone_rejected(raw):
    with pytest.raises(ValidationError) as info:
        v.normalize_phone(raw)
    assert info.value.messages == [str(v.PHONE_INVALID)]


TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("030085000001", "030085000001"),
        ("001 099 123456", "001099123456"),
        ("096126000001", "096126000001"),  # born 2026, the current year
        ("079300000001", "079300000001"),  # female, born 2000
    ],
)
def test_national_id_accepted(raw, expected):
    assert v.normalize_national_id(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("03008500000", v.NATIONAL_ID_FORMAT),
        ("0300850000011", v.NATIONAL_ID_FORMAT),
        ("03008500000a", v.NATIONAL_ID_FORMAT),
        ("", v.NATIONAL_ID_FORMAT),
        ("003085000001", v.NATIONAL_ID_PROVINCE),  # 003 is not a province code
        ("099085000001", v.NATIONAL_ID_PROVINCE),
        ("030485000001", v.NATIONAL_ID_CENTURY),
        ("030985000001", v.NATIONAL_ID_CENTURY),
        ("030227000001", v.NATIONAL_ID_BIRTH_YEAR),  # born 2027
        ("030399000001", v.NATIONAL_ID_BIRTH_YEAR),  # born 2099
    ],
)
def test_national_id_rejected(raw, message):
    with pytest.raises(ValidationError) as info:
        v.normalize_national_id(raw, today=TODAY)
    assert info.value.messages == [str(message)]


def test_province_codes_are_the_63_provinces():
    assert len(v.PROVINCE_CODES) == 63
    assert {"001", "030", "079", "096"} <= v.PROVINCE_CODES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0800123456", "0800123456"), ("0800123456-001", "0800123456001"), ("0800123456001", "0800123456001")],
)
def test_tax_code_accepted(raw, expected):
    assert v.normalize_tax_code(raw) == expected


@pytest.mark.parametrize("raw", ["080012345", "08001234567", "0800123456-01", "0800123456-0011", "08001234ab", ""])
def test_tax_code_rejected(raw):
    with pytest.raises(ValidationError) as info:
        v.normalize_tax_code(raw)
    assert info.value.messages == [str(v.TAX_CODE_INVALID)]
