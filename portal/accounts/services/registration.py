"""Creating accounts: self-registration (phone OTP follows) and verified accounts made by admins and seeds."""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.constants import AGENCY_ROLES, CITIZEN_ROLE, AccountKind, OtpPurpose, Role
from portal.accounts.models import StaffRole, User
from portal.accounts.services.common import clean_field
from portal.accounts.services.otp import otp_issue
from portal.accounts.validators import normalize_national_id, normalize_phone, normalize_tax_code
from portal.errors import FieldErrors, ServiceError
from procedures.models import Agency

FULL_NAME_REQUIRED = _("Vui lòng nhập họ và tên (hoặc tên tổ chức).")
ACCOUNT_TYPE_INVALID = _("Loại tài khoản phải là công dân hoặc tổ chức.")
NATIONAL_ID_REQUIRED = _("Vui lòng nhập số CCCD.")
TAX_CODE_REQUIRED = _("Tổ chức, doanh nghiệp phải nhập mã số thuế.")
TAX_CODE_ONLY_ORGANISATIONS = _("Chỉ tài khoản tổ chức, doanh nghiệp mới nhập mã số thuế.")
EMAIL_INVALID = _("Địa chỉ thư điện tử không hợp lệ.")
PHONE_TAKEN = _("Số điện thoại này đã được dùng cho một tài khoản khác.")
NATIONAL_ID_TAKEN = _("Số CCCD này đã được dùng cho một tài khoản khác.")
TAX_CODE_TAKEN = _("Mã số thuế này đã được dùng cho một tài khoản khác.")
ROLE_INVALID = _("Vai trò không hợp lệ.")
AGENCY_REQUIRED = _("Vai trò này phải gắn với một cơ quan.")
AGENCY_NOT_ALLOWED = _("Vai trò này không gắn với cơ quan nào.")
AGENCY_NOT_FOUND = _("Không tìm thấy cơ quan có mã này.")

SELF_REGISTER_KINDS = (AccountKind.CITIZEN, AccountKind.ORGANISATION)


def _clean_identity(*, kind: str, full_name: str, phone: str, national_id: str, tax_code: str, email: str) -> dict:
    """The identity as stored; every field's problem at once (FieldErrors), so a form can show them together."""
    errors: dict[str, list[str]] = {}
    identity = {"kind": kind, "full_name": " ".join(str(full_name or "").split())}

    def take(field: str, normalize, value: str) -> None:
        try:
            identity[field] = clean_field(normalize, value, field=field)
        except ServiceError as exc:
            errors.setdefault(field, []).append(exc.message)

    if not identity["full_name"]:
        errors["full_name"] = [str(FULL_NAME_REQUIRED)]
    take("phone", normalize_phone, phone)
    if national_id:
        take("national_id", normalize_national_id, national_id)
    elif kind == AccountKind.CITIZEN:
        errors["national_id"] = [str(NATIONAL_ID_REQUIRED)]
    if tax_code and kind != AccountKind.ORGANISATION:
        errors["tax_code"] = [str(TAX_CODE_ONLY_ORGANISATIONS)]
    elif tax_code:
        take("tax_code", normalize_tax_code, tax_code)
    elif kind == AccountKind.ORGANISATION:
        errors["tax_code"] = [str(TAX_CODE_REQUIRED)]
    email = str(email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [str(EMAIL_INVALID)]
    identity["email"] = User.objects.normalize_email(email)
    if errors:
        raise FieldErrors(errors)
    return identity


def _duplicates(identity: dict, *, exclude_pk: int | None = None) -> dict[str, list[str]]:
    found = {}
    for field, message in (("phone", PHONE_TAKEN), ("national_id", NATIONAL_ID_TAKEN), ("tax_code", TAX_CODE_TAKEN)):
        value = identity.get(field)
        if value and User.objects.filter(**{field: value}).exclude(pk=exclude_pk).exists():
            found[field] = [str(message)]
    return found


def _check_unique(identity: dict, *, exclude_pk: int | None = None) -> None:
    found = _duplicates(identity, exclude_pk=exclude_pk)
    if found:
        raise FieldErrors(found, code="duplicate")


def _password_errors(password: str, user: User) -> dict[str, list[str]]:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return {"password": [" ".join(exc.messages)]}
    return {}


def check_password_strength(password: str, user: User) -> None:
    errors = _password_errors(password, user)
    if errors:
        raise ServiceError(errors["password"][0], field="password", code="weak_password")


def _save(user: User, identity: dict) -> None:
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Lost a race with a concurrent registration: name the field that collided.
        _check_unique(identity, exclude_pk=user.pk)
        raise


def _registration_validated(*, account_type, full_name, phone, password, national_id, tax_code, email):
    """The unsaved account and its identity, or FieldErrors naming every field that is wrong."""
    if account_type not in SELF_REGISTER_KINDS:
        raise ServiceError(ACCOUNT_TYPE_INVALID, field="account_type", code="invalid_choice")
    try:
        identity = _clean_identity(
            kind=account_type, full_name=full_name, phone=phone, national_id=national_id, tax_code=tax_code, email=email
        )
    except FieldErrors as exc:
        # The password is judged against what could be read, so its message joins the others.
        raise FieldErrors({**exc.errors, **_password_errors(password, User(full_name=full_name, email=email))}) from exc
    user = User(**identity)
    errors = {**_duplicates(identity), **_password_errors(password, user)}
    if errors:
        raise FieldErrors(errors, code="duplicate" if set(errors) - {"password"} else "weak_password")
    return user, identity


def registration_errors(**data) -> dict[str, list[str]]:
    """What registering with `data` would be refused for, by field (a form shows them beside its own errors)."""
    try:
        _registration_validated(**data)
    except ServiceError as exc:
        return exc.as_dict()
    return {}


@transaction.atomic
def user_register(
    *,
    full_name: str,
    phone: str,
    password: str,
    national_id: str = "",
    tax_code: str = "",
    email: str = "",
    account_type: str = AccountKind.CITIZEN,
) -> User:
    """A citizen (with CCCD) or an organisation (with tax code) signs up; an OTP goes to the phone.

    Every problem is reported at once: the fields' formats first, then duplicates and the password's strength.
    """
    user, identity = _registration_validated(
        account_type=account_type,
        full_name=full_name,
        phone=phone,
        password=password,
        national_id=national_id,
        tax_code=tax_code,
        email=email,
    )
    user.set_password(password)
    _save(user, identity)
    otp_issue(user=user)
    return user


@transaction.atomic
def user_create_verified(
    *,
    kind: str,
    full_name: str,
    phone: str,
    password: str,
    national_id: str = "",
    tax_code: str = "",
    email: str = "",
) -> User:
    """Create, or update by phone, an account whose phone counts as verified (admin and seed use)."""
    identity = _clean_identity(
        kind=kind, full_name=full_name, phone=phone, national_id=national_id, tax_code=tax_code, email=email
    )
    user = User.objects.select_for_update().filter(phone=identity["phone"]).first() or User()
    _check_unique(identity, exclude_pk=user.pk)
    for name, value in identity.items():
        setattr(user, name, value)
    user.is_active = True
    user.phone_verified_at = user.phone_verified_at or timezone.now()
    check_password_strength(password, user)
    # Re-running with the same password keeps the stored hash, so a repeated seed changes nothing.
    if not user.has_usable_password() or not user.check_password(password):
        user.set_password(password)
    _save(user, identity)
    return user


def _agency_for_role(role: str, agency_code: str | None):
    if role not in AGENCY_ROLES:
        if agency_code:
            raise ServiceError(AGENCY_NOT_ALLOWED, field="agency", code="agency_not_allowed")
        return None
    if not agency_code:
        raise ServiceError(AGENCY_REQUIRED, field="agency", code="required")
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise ServiceError(AGENCY_NOT_FOUND, field="agency", code="not_found")
    return agency


@transaction.atomic
def user_create_official(
    *,
    role: str,
    full_name: str,
    phone: str,
    password: str,
    national_id: str = "",
    agency_code: str | None = None,
    email: str = "",
) -> User:
    """A verified account holding exactly `role` (at `agency_code` for counter roles).

    Re-running updates the same account (found by phone) and replaces its roles, so the
    command and the demo seeds can be run any number of times. Role "citizen" gives a
    plain verified citizen with no roles.
    """
    if role != CITIZEN_ROLE and role not in Role.values:
        raise ServiceError(ROLE_INVALID, field="role", code="invalid_choice")
    agency = None if role == CITIZEN_ROLE else _agency_for_role(role, agency_code)
    if role == CITIZEN_ROLE and agency_code:
        raise ServiceError(AGENCY_NOT_ALLOWED, field="agency", code="agency_not_allowed")
    kind = AccountKind.CITIZEN if role == CITIZEN_ROLE else AccountKind.OFFICIAL
    user = user_create_verified(
        kind=kind, full_name=full_name, phone=phone, password=password, national_id=national_id, email=email
    )
    if role == CITIZEN_ROLE:
        user.staff_roles.all().delete()
    else:
        user.staff_roles.exclude(role=role, agency=agency).delete()
        StaffRole.objects.get_or_create(user=user, role=role, agency=agency)
    is_admin = role == Role.ADMIN
    if (user.is_staff, user.is_superuser) != (is_admin, is_admin):
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def account_claimable(*, national_id: str) -> User | None:
    """An account the counter opened for this national ID (no password yet) that its owner may take over."""
    try:
        national_id = normalize_national_id(national_id)
    except ValidationError:
        return None
    return User.objects.filter(
        national_id=national_id,
        kind=AccountKind.CITIZEN,
        is_active=True,
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
    ).first()


@transaction.atomic
def user_register_or_claim(
    *, national_id: str = "", account_type: str = AccountKind.CITIZEN, **data
) -> tuple[User, bool]:
    """Registration; when the counter already opened a password-less account for this national ID, the person
    takes it over instead: a code goes to the phone the counter recorded, and with it they set a password
    (password_reset_confirm). Returns (account, claimed)."""
    claimable = account_claimable(national_id=national_id) if account_type == AccountKind.CITIZEN else None
    if claimable is not None:
        otp_issue(user=claimable, purpose=OtpPurpose.SET_PASSWORD)
        return claimable, True
    return user_register(national_id=national_id, account_type=account_type, **data), False
