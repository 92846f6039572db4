"""Loaders for the catalog seeds: agencies, the calendar and procedures.

Each loader checks every record (shape with jsonschema, then references and rules)
before writing, names the file and the record in any error, and writes only what
changed, so a second load leaves every row, and every `updated_at`, as it was.
"""

import hashlib
from datetime import date
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import models, transaction
from jsonschema import Draft202012Validator

from portal.seeding import SEEDS_DIR, SeedError
from procedures.constants import (
    DELIVERY_METHODS_BY_LEVEL,
    DOCUMENT_TYPES,
    CalendarDayKind,
    GovLevel,
    OnlineLevel,
)
from procedures.form_schema import check_schema
from procedures.models import Agency, CalendarOverride, Field, FormTemplate, Procedure, RequiredDocument

AGENCY_CODE_PATTERN = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

AGENCY_RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "name", "gov_level", "parent"],
    "properties": {
        "code": {"type": "string", "pattern": AGENCY_CODE_PATTERN},
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "gov_level": {"enum": list(GovLevel.values)},
        "parent": {"type": ["string", "null"]},
        "address": {"type": "string", "maxLength": 255},
        "phone": {"type": "string", "maxLength": 20},
    },
}

CALENDAR_RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["date", "kind", "name"],
    "properties": {
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "kind": {"enum": list(CalendarDayKind.values)},
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
    },
}

FIELD_RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "name"],
    "properties": {
        "code": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 64},
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
    },
}

DOCUMENT_RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["key", "name", "mandatory"],
    "properties": {
        "key": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 64},
        "name": {"type": "string", "minLength": 1, "maxLength": 500},
        "mandatory": {"type": "boolean"},
        "accepted_types": {
            "type": "array",
            "items": {"enum": list(DOCUMENT_TYPES)},
            "minItems": 1,
            "uniqueItems": True,
        },
    },
}

FORM_TEMPLATE_FILE_PATTERN = r"^forms/[A-Za-z0-9][A-Za-z0-9._-]*\.pdf$"
FORM_TEMPLATE_MAX_BYTES = 2 * 1024 * 1024
FORM_TEMPLATE_RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "file"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 500},
        "file": {"type": "string", "pattern": FORM_TEMPLATE_FILE_PATTERN},
    },
}

PROCEDURE_RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "code",
        "name",
        "field",
        "gov_level",
        "online_level",
        "processing_days",
        "agencies",
        "documents",
        "form_schema",
        "delivery_methods",
    ],
    "properties": {
        "code": {"type": "string", "pattern": r"^\d\.\d{6}$"},
        "name": {"type": "string", "minLength": 1, "maxLength": 500},
        "field": {"type": "string"},
        "gov_level": {"enum": list(GovLevel.values)},
        "online_level": {"enum": list(OnlineLevel.values)},
        "processing_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "fee": {"type": "integer", "minimum": 0},
        "charge": {"type": "integer", "minimum": 0},
        "online_discount_percent": {"type": "integer", "minimum": 0, "maximum": 100},
        "fee_note": {"type": "string"},
        "agencies": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True},
        "documents": {"type": "array", "items": DOCUMENT_RECORD},
        "form_schema": {"type": "object"},
        "delivery_methods": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True},
        "result_name": {"type": "string", "maxLength": 500},
        "legal_basis": {"type": "string"},
        "description": {"type": "string"},
        "form_templates": {"type": "array", "items": FORM_TEMPLATE_RECORD},
    },
}

PROCEDURES_FILE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fields", "procedures"],
    "properties": {"fields": {"type": "array"}, "procedures": {"type": "array"}},
}


def _label(index: int, record) -> str:
    key = record.get("code") or record.get("date") if isinstance(record, dict) else None
    return f"#{index}" + (f" ({key})" if key else "")


def _check_shape(file_name: str, where, schema: dict, value) -> None:
    error = next(iter(Draft202012Validator(schema).iter_errors(value)), None)
    if error is not None:
        path = "/".join(str(part) for part in error.absolute_path)
        raise SeedError(file_name, where, f"{path + ': ' if path else ''}{error.message}")


def _check_records(file_name: str, records, schema: dict, key: str) -> None:
    """Shape of every record, and no natural key twice."""
    _check_shape(file_name, None, {"type": "array"}, records)
    seen = set()
    for index, record in enumerate(records):
        _check_shape(file_name, _label(index, record), schema, record)
        if record[key] in seen:
            raise SeedError(file_name, _label(index, record), f"duplicate {key} {record[key]!r}")
        seen.add(record[key])


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, bool]:
    """Create, or update only the fields that differ (so auto_now stamps stay put); True when written."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, bool(changed)


@transaction.atomic
def load_agencies(records, *, file_name: str) -> int:
    _check_records(file_name, records, AGENCY_RECORD, "code")
    known = set(Agency.objects.values_list("code", flat=True))
    for index, record in enumerate(records):
        parent = record["parent"]
        # A parent must come earlier in the file (or be in the database), which also rules out cycles.
        if parent is not None and parent not in known:
            raise SeedError(file_name, _label(index, record), f"unknown parent agency {parent!r}")
        if parent is None and record["gov_level"] != GovLevel.PROVINCE:
            raise SeedError(file_name, _label(index, record), "only a province-level agency may have no parent")
        known.add(record["code"])
    by_code = {}
    for record in records:
        parent = record["parent"]
        values = {
            "name": record["name"],
            "gov_level": record["gov_level"],
            "parent": by_code.get(parent) or (Agency.objects.get(code=parent) if parent else None),
            "address": record.get("address", ""),
            "phone": record.get("phone", ""),
            "is_active": True,
        }
        by_code[record["code"]], _ = _upsert(Agency, {"code": record["code"]}, values)
    return len(records)


@transaction.atomic
def load_calendar(records, *, file_name: str) -> int:
    _check_records(file_name, records, CALENDAR_RECORD, "date")
    days = []
    for index, record in enumerate(records):
        try:
            days.append(date.fromisoformat(record["date"]))
        except ValueError:
            raise SeedError(file_name, _label(index, record), f"invalid date {record['date']!r}") from None
    # Admin-added overrides stay: the seed only adds or corrects its own days.
    for day, record in zip(days, records, strict=True):
        _upsert(CalendarOverride, {"date": day}, {"kind": record["kind"], "name": record["name"]})
    return len(records)


def _check_procedure(record: dict, *, fields: set[str], agencies: dict[str, str]) -> str | None:
    """The first rule a well-shaped procedure record breaks, or None."""
    if record["field"] not in fields:
        return f"unknown field {record['field']!r}"
    for code in record["agencies"]:
        if code not in agencies:
            return f"unknown agency {code!r}"
        if agencies[code] != record["gov_level"]:
            return f"agency {code!r} is not at gov_level {record['gov_level']!r}"
    allowed = {method.value for method in DELIVERY_METHODS_BY_LEVEL[record["online_level"]]}
    extra = sorted(set(record["delivery_methods"]) - allowed)
    if extra:
        return f"delivery_methods {extra} not offered at online level {record['online_level']}"
    keys = [document["key"] for document in record["documents"]]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        return f"duplicate document key {duplicates[0]!r}"
    try:
        check_schema(record["form_schema"])
    except ValueError as exc:
        return f"form_schema: {exc}"
    return None


def _sync_documents(procedure: Procedure, documents: list[dict]) -> None:
    existing = {document.key: document for document in procedure.required_documents.all()}
    for position, document in enumerate(documents):
        values = {
            "name": document["name"],
            "mandatory": document["mandatory"],
            "accepted_types": document.get("accepted_types", list(DOCUMENT_TYPES)),
            "position": position,
        }
        _upsert(RequiredDocument, {"procedure": procedure, "key": document["key"]}, values)
        existing.pop(document["key"], None)
    if existing:
        RequiredDocument.objects.filter(pk__in=[document.pk for document in existing.values()]).delete()


def _form_template_problem(record: dict, seeds_dir: Path) -> str | None:
    """The first form template of a record whose file is missing, too large or not a PDF, or None."""
    names = [Path(template["file"]).name for template in record.get("form_templates", [])]
    if len(names) != len(set(names)):
        return "duplicate form template file"
    for template in record.get("form_templates", []):
        path = seeds_dir / template["file"]
        if not path.is_file():
            return f"form template {template['file']!r} not found"
        if path.stat().st_size > FORM_TEMPLATE_MAX_BYTES:
            return f"form template {template['file']!r} is larger than {FORM_TEMPLATE_MAX_BYTES} bytes"
        with path.open("rb") as head:
            if head.read(5) != b"%PDF-":
                return f"form template {template['file']!r} is not a PDF"
    return None


def _sync_form_templates(procedure: Procedure, templates: list[dict], seeds_dir: Path) -> None:
    """The procedure's downloadable forms as the seed lists them; a file is stored again only when it changed."""
    existing = {template.file_name: template for template in procedure.form_templates.all()}
    for position, record in enumerate(templates):
        content = (seeds_dir / record["file"]).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        file_name = Path(record["file"]).name
        template = existing.pop(file_name, None)
        if template is not None and (template.name, template.sha256, template.position) == (
            record["name"],
            digest,
            position,
        ):
            continue
        template = template or FormTemplate(procedure=procedure, file_name=file_name)
        template.name, template.sha256, template.position = record["name"], digest, position
        if template.file:
            template.file.delete(save=False)
        template.file.save(file_name, ContentFile(content), save=False)
        template.save()
    for template in existing.values():
        template.file.delete(save=False)
        template.delete()


def _procedure_values(record: dict, field: Field) -> dict:
    return {
        "name": record["name"],
        "field": field,
        "gov_level": record["gov_level"],
        "online_level": record["online_level"],
        "processing_days": record["processing_days"],
        "fee": record.get("fee", 0),
        "charge": record.get("charge", 0),
        "online_discount_percent": record.get("online_discount_percent", 0),
        "fee_note": record.get("fee_note", ""),
        "form_schema": record["form_schema"],
        "delivery_methods": record["delivery_methods"],
        "result_name": record.get("result_name", ""),
        "legal_basis": record.get("legal_basis", ""),
        "description": record.get("description", ""),
        "is_active": True,
    }


@transaction.atomic
def load_procedures(data, *, file_name: str, seeds_dir: Path = SEEDS_DIR) -> int:
    _check_shape(file_name, None, PROCEDURES_FILE, data)
    _check_records(file_name, data["fields"], FIELD_RECORD, "code")
    records = data["procedures"]
    _check_records(file_name, records, PROCEDURE_RECORD, "code")
    field_codes = {record["code"] for record in data["fields"]}
    agencies = dict(Agency.objects.values_list("code", "gov_level"))
    for index, record in enumerate(records):
        problem = _check_procedure(record, fields=field_codes, agencies=agencies) or _form_template_problem(
            record, seeds_dir
        )
        if problem:
            raise SeedError(file_name, _label(index, record), problem)

    fields = {
        record["code"]: _upsert(Field, {"code": record["code"]}, {"name": record["name"]})[0]
        for record in data["fields"]
    }
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    for record in records:
        procedure, _ = _upsert(Procedure, {"code": record["code"]}, _procedure_values(record, fields[record["field"]]))
        wanted = {agency_ids[code] for code in record["agencies"]}
        if set(procedure.agencies.values_list("pk", flat=True)) != wanted:
            procedure.agencies.set(wanted)
        _sync_documents(procedure, record["documents"])
        _sync_form_templates(procedure, record.get("form_templates", []), seeds_dir)
    return len(records)
