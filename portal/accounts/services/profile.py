"""What a signed-in person keeps about themselves: e-mail, the postal address results are sent to, the phone."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.accounts.constants import OtpPurpose
from portal.accounts.models import PhoneOTP, User
from portal.accounts.services.common import clean_field
from portal.accounts.services.otp import otp_consume, otp_issue
from portal.accounts.services.registration import EMAIL_INVALID, PHONE_TAKEN
from portal.accounts.validators import normalize_phone
from portal.errors import FieldErrors, ServiceError
from procedures.addresses import canonical_address

ADDRESS_FIELDS = ("province", "district", "commune", "street")
ADDRESS_INCOMPLETE = _("Nhập đủ tỉnh/thành phố, xã/phường và số nhà, đường; hoặc để trống cả địa chỉ.")
ADDRESS_FIELD_TOO_LONG = _("Tối đa 200 ký tự.")
PHONE_UNCHANGED = _("Đây đã là số điện thoại của tài khoản.")


def _clean_address(address: dict | None) -> tuple[dict, dict]:
    """{} for no address; else the canonical province/commune (with codes) and the street, or errors by field."""
    typed = {name: " ".join(str((address or {}).get(name) or "").split()) for name in ADDRESS_FIELDS}
    long = {name: [str(ADDRESS_FIELD_TOO_LONG)] for name, value in typed.items() if len(value) > 200}
    if long:
        return {}, long
    if not any(typed.values()):
        return {}, {}
    missing = [name for name in ("province", "commune", "street") if not typed[name]]
    if missing:
        return {}, {name: [str(ADDRESS_INCOMPLETE)] for name in missing}
    return canonical_address(typed)


@transaction.atomic
def profile_update(*, user: User, email: str, postal_address: dict | None) -> User:
    """E-mail and the postal address (checked against the country's units); both may be emptied."""
    errors: dict[str, list[str]] = {}
    email = str(email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [str(EMAIL_INVALID)]
    address, address_errors = _clean_address(postal_address)
    errors.update(address_errors)
    if errors:
        raise FieldErrors(errors)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.email = User.objects.normalize_email(email)
    user.postal_address = address
    user.save(update_fields=["email", "postal_address"])
    return user


def phone_change_start(*, user: User, phone: str) -> PhoneOTP:
    """A code to the new number (same limits as any code): the number becomes the account's once it is typed back."""
    phone = clean_field(normalize_phone, phone, field="phone")
    if phone == user.phone:
        raise ServiceError(PHONE_UNCHANGED, field="phone", code="unchanged")
    if User.objects.filter(phone=phone).exists():
        raise ServiceError(PHONE_TAKEN, field="phone", code="duplicate")
    return otp_issue(user=user, phone=phone, purpose=OtpPurpose.CHANGE_PHONE)


def phone_change_confirm(*, user: User, phone: str, otp: str) -> User:
    phone = clean_field(normalize_phone, phone, field="phone")

    def move(code: PhoneOTP) -> None:
        if code.user_id != user.pk:
            raise ServiceError(PHONE_TAKEN, field="phone", code="duplicate")
        if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
            raise ServiceError(PHONE_TAKEN, field="phone", code="duplicate")
        code.user.phone = phone
        code.user.phone_verified_at = code.used_at
        code.user.save(update_fields=["phone", "phone_verified_at"])

    return otp_consume(phone=phone, code=otp, purpose=OtpPurpose.CHANGE_PHONE, on_success=move)
