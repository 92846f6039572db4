"""The e-form schema of a procedure: a small JSON Schema subset, checked and applied with `jsonschema`.

The subset is what the form renderer and the officials' views can show: an object of
flat fields (string, integer, number, boolean) with a Vietnamese title, optional
description, enum, pattern, `format: "date"`, length and range bounds, and a required list.
"""

import re
from datetime import date

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaValidationError

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# The longest answer a text field takes: its own maxLength may be lower, never higher.
TEXT_MAX_LENGTH = 2000
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_PROPERTY_META = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "title"],
    "properties": {
        "type": {"enum": ["string", "integer", "number", "boolean"]},
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "maxLength": 1000},
        "enum": {"type": "array", "minItems": 1, "uniqueItems": True},
        "pattern": {"type": "string", "minLength": 1},
        "format": {"enum": ["date"]},
        "minLength": {"type": "integer", "minimum": 0},
        "maxLength": {"type": "integer", "minimum": 1, "maximum": TEXT_MAX_LENGTH},
        "minimum": {"type": "number"},
        "maximum": {"type": "number"},
    },
}

META_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "properties"],
    "properties": {
        "type": {"const": "object"},
        "title": {"type": "string"},
        "properties": {"type": "object", "additionalProperties": _PROPERTY_META},
        "required": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    },
}

_STRING_ONLY = ("pattern", "format", "minLength", "maxLength")
_NUMBER_ONLY = ("minimum", "maximum")
_PY_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}

_format_checker = FormatChecker(formats=())


@_format_checker.checks("date", raises=ValueError)
def _is_iso_date(value) -> bool:
    # Python's fromisoformat also takes "20260216"; the form promises YYYY-MM-DD only.
    if not isinstance(value, str):
        return True
    if not DATE_PATTERN.match(value):
        return False
    date.fromisoformat(value)
    return True


def _where(path) -> str:
    return "/".join(str(part) for part in path) or "schema"


def _check_property(name: str, prop: dict) -> None:
    if not FIELD_NAME.match(name):
        raise ValueError(f"Tên trường '{name}' không hợp lệ: chỉ dùng chữ thường không dấu, số và '_'.")
    kind = prop["type"]
    misplaced = [key for key in _STRING_ONLY if key in prop and kind != "string"]
    misplaced += [key for key in _NUMBER_ONLY if key in prop and kind not in ("integer", "number")]
    if misplaced:
        raise ValueError(f"Trường '{name}' kiểu {kind} không dùng được: {', '.join(misplaced)}.")
    if "pattern" in prop:
        try:
            re.compile(prop["pattern"])
        except re.error as exc:
            raise ValueError(f"Trường '{name}': biểu thức pattern không hợp lệ ({exc}).") from exc
    for value in prop.get("enum", []):
        if not isinstance(value, _PY_TYPES[kind]) or (kind != "boolean" and isinstance(value, bool)):
            raise ValueError(f"Trường '{name}': giá trị {value!r} trong enum không phải kiểu {kind}.")
    for low, high in (("minLength", "maxLength"), ("minimum", "maximum")):
        if low in prop and high in prop and prop[low] > prop[high]:
            raise ValueError(f"Trường '{name}': {low} lớn hơn {high}.")


def check_schema(schema) -> None:
    """Raise ValueError naming the problem when `schema` is outside the supported subset."""
    try:
        Draft202012Validator(META_SCHEMA).validate(schema)
    except SchemaValidationError as exc:
        raise ValueError(f"Biểu mẫu không hợp lệ tại '{_where(exc.absolute_path)}': {exc.message}") from exc
    properties = schema["properties"]
    for name, prop in properties.items():
        _check_property(name, prop)
    unknown = [name for name in schema.get("required", []) if name not in properties]
    if unknown:
        raise ValueError(f"Trường bắt buộc không có trong biểu mẫu: {', '.join(unknown)}.")


def _type_label(kind: str) -> str:
    return {
        "string": _("chuỗi ký tự"),
        "integer": _("số nguyên"),
        "number": _("số"),
        "boolean": _("đúng/sai"),
    }[kind]


def _message(error: SchemaValidationError, title: str) -> str:
    rule, limit = error.validator, error.validator_value
    if rule == "type":
        return _("Trường '%(title)s' phải là %(kind)s") % {"title": title, "kind": _type_label(limit)}
    if rule == "enum":
        choices = ", ".join(str(choice) for choice in limit)
        return _("Trường '%(title)s' phải là một trong: %(choices)s") % {"title": title, "choices": choices}
    if rule == "format":
        return _("Ngày không hợp lệ (YYYY-MM-DD)")
    if rule == "pattern":
        return _("Trường '%(title)s' không đúng định dạng") % {"title": title}
    if rule == "minLength":
        return _("Trường '%(title)s' phải có ít nhất %(n)s ký tự") % {"title": title, "n": limit}
    if rule == "maxLength":
        return _("Trường '%(title)s' chỉ được tối đa %(n)s ký tự") % {"title": title, "n": limit}
    if rule == "minimum":
        return _("Trường '%(title)s' phải lớn hơn hoặc bằng %(n)s") % {"title": title, "n": limit}
    if rule == "maximum":
        return _("Trường '%(title)s' phải nhỏ hơn hoặc bằng %(n)s") % {"title": title, "n": limit}
    return _("Trường '%(title)s' không hợp lệ") % {"title": title}


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _bounded(prop: dict) -> dict:
    """A text field without a maxLength of its own takes at most TEXT_MAX_LENGTH characters."""
    return {"maxLength": TEXT_MAX_LENGTH, **prop} if prop.get("type") == "string" else prop


def validate_form_data(schema: dict, data) -> dict[str, str]:
    """Per-field Vietnamese messages for `data` against `schema`; empty when the data is valid."""
    if not isinstance(data, dict):
        return {"form_data": _("Dữ liệu biểu mẫu phải là một đối tượng JSON")}
    properties = schema.get("properties", {})
    errors: dict[str, str] = {}
    # A required text left empty is as missing as an absent one.
    for name in schema.get("required", []):
        if _is_blank(data.get(name)):
            errors[name] = _("Trường '%(title)s' là bắt buộc") % {"title": properties[name]["title"]}
    for name in data:
        if name not in properties:
            errors[name] = _("Trường '%(name)s' không có trong biểu mẫu") % {"name": name}
    present = {name: value for name, value in data.items() if name in properties and not _is_blank(value)}
    field_schema = {"type": "object", "properties": {name: _bounded(prop) for name, prop in properties.items()}}
    validator = Draft202012Validator(field_schema, format_checker=_format_checker)
    for error in validator.iter_errors(present):
        name = str(error.absolute_path[0]) if error.absolute_path else "form_data"
        if name not in errors:
            errors[name] = _message(error, properties.get(name, {}).get("title", name))
    return errors


def form_answers(schema: dict, form_data: dict, *, with_unlisted: bool = False) -> list[tuple[str, object]]:
    """(title, answer) for every field of the e-form in its order, as the dossier pages show them.

    `with_unlisted` adds answers to fields the e-form no longer has, under their key: they
    still belong to the file an official reads.
    """
    properties = schema.get("properties", {})
    answers = [(prop.get("title", name), form_data.get(name)) for name, prop in properties.items()]
    if with_unlisted:
        answers += [(name, value) for name, value in form_data.items() if name not in properties]
    return answers
