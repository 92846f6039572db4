"""Text helpers: Vietnamese folding for search (case- and diacritic-insensitive, đ → d), and the
check for characters the portal refuses to take in."""

import re
import unicodedata
from urllib.parse import unquote_to_bytes

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics (NFD leaves đ alone, so map it), collapse spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


# --- Text the portal will not store or compare -------------------------------------------------------
# PostgreSQL refuses NUL in text and jsonb, and a lone surrogate cannot be encoded as UTF-8 at all:
# either would fail deep inside a query, so requests carrying them are turned away at the edge.
_UNSAFE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
# A field name echoed back in an error message is cut to this length.
FIELD_LABEL_LENGTH = 100


def is_safe_text(text: str) -> bool:
    """No NUL character and no lone surrogate."""
    return _UNSAFE_CHARACTERS.search(text) is None


def is_safe_bytes(raw: bytes) -> bool:
    """Valid UTF-8 (which excludes encoded surrogates) without a NUL byte."""
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def field_label(name) -> str:
    """A field name fit to echo in an error: printable, bounded."""
    text = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
    return _UNSAFE_CHARACTERS.sub("\ufffd", text)[:FIELD_LABEL_LENGTH]


def unsafe_urlencoded_field(raw: bytes) -> str | None:
    """The first field of a query string or form body whose name or value is not safe text.

    Works on the percent-decoded bytes, before Django decodes them (replacing bad UTF-8), so
    `%00` and an encoded surrogate such as `%ED%A0%80` are both seen.
    """
    for pair in raw.split(b"&"):
        name, _sep, value = pair.partition(b"=")
        name = unquote_to_bytes(name.replace(b"+", b" "))
        if not is_safe_bytes(name) or not is_safe_bytes(unquote_to_bytes(value.replace(b"+", b" "))):
            return field_label(name)
    return None


def unsafe_json_field(value, path: str = "") -> str | None:
    """The dotted path ("form_data.ho_ten", "items.0") of the first unsafe string or key in parsed
    JSON (a bad key is reported at its parent), or None when all is safe. Recurses once per level:
    call it on data whose depth is already bounded."""
    if isinstance(value, str):
        return None if is_safe_text(value) else path
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return None
    for key, child in children:
        if isinstance(key, str) and not is_safe_text(key):
            return path
        found = unsafe_json_field(child, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


# --- Spreadsheets ------------------------------------------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A value fit for a spreadsheet cell: text that a spreadsheet would run as a formula is quoted
    (CSV/formula injection), for every export the portal writes."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
