"""Demo accounts for every role, loaded from seeds/demo_accounts.json (demo mode only).

File shape: {"password": "...", "accounts": [{"role", "full_name", "phone", "national_id"?,
"tax_code"?, "agency"?, "email"?, "password"?}, ...]}. Role is "citizen", "organisation" or
one of the staff roles. Every record is checked before anything is written.
"""

from django.core.exceptions import ValidationError

from portal.accounts.constants import AGENCY_ROLES, CITIZEN_ROLE, AccountKind, Role
from portal.accounts.services import user_create_official, user_create_verified
from portal.accounts.validators import normalize_national_id, normalize_phone, normalize_tax_code
from portal.errors import ServiceError
from portal.seeding import SeedError
from procedures.models import Agency

ORGANISATION_ROLE = "organisation"
SEED_ROLES = frozenset({CITIZEN_ROLE, ORGANISATION_ROLE, *Role.values})
REQUIRED_KEYS = ("role", "full_name", "phone")


def _check_records(data, *, file_name: str) -> list[dict]:
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
        raise SeedError(file_name, None, 'expected {"password": ..., "accounts": [...]}')
    default_password = data.get("password")
    phones = set()
    records = []
    for index, record in enumerate(data["accounts"]):
        where = record.get("phone", index) if isinstance(record, dict) else index
        if not isinstance(record, dict):
            raise SeedError(file_name, where, "each account must be an object")
        missing = [key for key in REQUIRED_KEYS if not record.get(key)]
        if missing:
            raise SeedError(file_name, where, f"missing {', '.join(missing)}")
        if record["role"] not in SEED_ROLES:
            raise SeedError(file_name, where, f"unknown role {record['role']!r}")
        if record["role"] in AGENCY_ROLES and not record.get("agency"):
            raise SeedError(file_name, where, f"role {record['role']} needs an agency")
        if not (record.get("password") or default_password):
            raise SeedError(file_name, where, "no password (set one per account or at the top)")
        phone = _check_identifiers(record, file_name=file_name, where=where)
        if phone in phones:
            raise SeedError(file_name, where, "phone listed twice")
        phones.add(phone)
        records.append({"password": default_password, **record})
    return records


def _check_identifiers(record: dict, *, file_name: str, where) -> str:
    checks = [("phone", normalize_phone), ("national_id", normalize_national_id), ("tax_code", normalize_tax_code)]
    cleaned = {}
    for key, normalize in checks:
        if record.get(key):
            try:
                cleaned[key] = normalize(record[key])
            except ValidationError as exc:
                raise SeedError(file_name, where, f"{key}: {exc.messages[0]}") from exc
    if record.get("agency") and not Agency.objects.filter(code=record["agency"]).exists():
        raise SeedError(file_name, where, f"agency {record['agency']} not found (load agencies.json first)")
    return cleaned["phone"]


def _load_one(record: dict) -> None:
    common = {
        "full_name": record["full_name"],
        "phone": record["phone"],
        "password": record["password"],
        "national_id": record.get("national_id", ""),
        "email": record.get("email", ""),
    }
    if record["role"] == ORGANISATION_ROLE:
        user_create_verified(kind=AccountKind.ORGANISATION, tax_code=record.get("tax_code", ""), **common)
    else:
        user_create_official(role=record["role"], agency_code=record.get("agency"), **common)


def load_demo_accounts(data, *, file_name: str) -> int:
    records = _check_records(data, file_name=file_name)
    for record in records:
        try:
            _load_one(record)
        except ServiceError as exc:
            raise SeedError(file_name, record["phone"], f"{exc.field or 'account'}: {exc.message}") from exc
    return len(records)
