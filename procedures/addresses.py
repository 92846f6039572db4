"""Vietnam's administrative units for postal addresses, from the maintained `vietnam_provinces` package.

Since the 2025 reorganisation there are two levels: the province (or centrally run city) and its
communes (xã, phường, đặc khu); districts are gone, so an address's `district` is free text, kept
only for the rare letter that still carries one. Names are matched case- and diacritic-insensitively,
with or without the unit's type ("Hà Nội" finds "Thành phố Hà Nội", "Hoàn Kiếm" finds "Phường Hoàn
Kiếm" when only one commune of the province bears that name), and stored in their canonical spelling
with their codes.
"""

from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from vietnam_provinces import Province, Ward

from portal.text import fold

ERR_PROVINCE_UNKNOWN = gettext_noop("Không có tỉnh/thành phố này trong danh mục đơn vị hành chính.")
ERR_COMMUNE_UNKNOWN = gettext_noop("Không có xã/phường này trong tỉnh/thành phố đã chọn.")

# The unit's type as it begins a name, folded; a name read without it is its "bare" form.
UNIT_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu ", "tp. ", "tp ")


def _bare(text: str) -> str:
    folded = fold(text)
    for prefix in UNIT_PREFIXES:
        if folded.startswith(prefix):
            return folded.removeprefix(prefix).strip()
    return folded


def short_name(name: str) -> str:
    """A province's name without its type, as signs and postmarks write it: "Thành phố Hà Nội" → "Hà Nội"."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


@cache
def provinces() -> tuple[Province, ...]:
    return tuple(sorted(Province.iter_all(), key=lambda p: _bare(p.name)))


@cache
def communes_of(province_code: int) -> tuple[Ward, ...]:
    return tuple(sorted(Ward.iter_by_province(province_code), key=lambda w: fold(w.name)))


def _match(units, text: str):
    """The unit named exactly (folded), else the only one whose bare name matches; None otherwise."""
    folded, bare = fold(text), _bare(text)
    if not folded:
        return None
    exact = [unit for unit in units if fold(unit.name) == folded]
    if exact:
        return exact[0]
    loose = [unit for unit in units if _bare(unit.name) == bare]
    return loose[0] if len(loose) == 1 else None


def find_province(name: str) -> Province | None:
    return _match(provinces(), name)


def find_commune(province: Province, name: str) -> Ward | None:
    return _match(communes_of(province.code), name)


def province_code_of(name: str) -> int | None:
    """The code of the province a name (an agency's, say "UBND tỉnh Hải Dương") designates, if it is one of today's."""
    padded = f" {fold(name or '')}"
    for marker in (" tinh ", " thanh pho ", " tp. ", " tp "):
        if marker in padded:
            padded = padded.rsplit(marker, 1)[1]
            break
    province = find_province(padded.strip())
    return int(province.code) if province else None


def canonical_address(address: dict) -> tuple[dict, dict]:
    """The address with its province and commune in their canonical names, plus their codes; and the
    errors by field (province unknown, or a commune not of that province)."""
    province = find_province(address.get("province", ""))
    if province is None:
        return address, {"province": [_(ERR_PROVINCE_UNKNOWN)]}
    commune = find_commune(province, address.get("commune", ""))
    if commune is None:
        return address, {"commune": [_(ERR_COMMUNE_UNKNOWN)]}
    canonical = {
        **address,
        "province": province.name,
        "province_code": int(province.code),
        "commune": commune.name,
        "commune_code": int(commune.code),
    }
    return canonical, {}


# How a Vietnamese address is written: from the house out to the province.
ADDRESS_ORDER = ("street", "commune", "district", "province")


def address_lines(address) -> list[str]:
    """The filled parts of an address in the order Vietnamese letters write them: street, commune,
    (district), province. The recipient, when given, is a line of its own, written by the caller."""
    if not isinstance(address, dict):
        return []
    return [str(address[part]).strip() for part in ADDRESS_ORDER if str(address.get(part) or "").strip()]
