"""Signing in with the national electronic identity: the account is found, or made, by national ID."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.constants import AccountKind
from portal.accounts.models import User
from portal.accounts.services.common import clean_field
from portal.accounts.validators import normalize_national_id, normalize_phone
from portal.errors import PermissionDeniedError, ServiceError

IDENTITY_PHONE_TAKEN = _(
    "Số điện thoại trong VNeID đang thuộc một tài khoản khác trên Cổng. Vui lòng đăng nhập tài khoản đó hoặc liên hệ "
    "bộ phận một cửa."
)
ACCOUNT_DISABLED = _("Tài khoản này đã bị khoá. Vui lòng liên hệ bộ phận một cửa.")


@transaction.atomic
def user_from_national_identity(*, national_id: str, full_name: str, phone: str, level: int) -> User:
    """The account holding the national ID, marked identity-verified at `level`; created when there is none.

    The provider vouches for the phone too: a matching unverified phone counts as verified, and a new account
    gets it (without a password: the person signs in with VNeID, or sets one by phone OTP later).
    """
    national_id = clean_field(normalize_national_id, national_id, field="national_id")
    now = timezone.now()
    user = User.objects.select_for_update().filter(national_id=national_id).first()
    if user is not None:
        if not user.is_active:
            raise PermissionDeniedError(ACCOUNT_DISABLED, code="account_disabled")
        user.identity_verified_at = now
        user.identity_level = level
        fields = ["identity_verified_at", "identity_level"]
        if user.phone_verified_at is None and _same_phone(user.phone, phone):
            user.phone_verified_at = now
            fields.append("phone_verified_at")
        user.save(update_fields=fields)
        return user
    phone = clean_field(normalize_phone, phone, field="phone")
    if User.objects.filter(phone=phone).exists():
        raise ServiceError(IDENTITY_PHONE_TAKEN, field="phone", code="duplicate")
    user = User(
        kind=AccountKind.CITIZEN,
        full_name=" ".join(full_name.split()) or national_id,
        phone=phone,
        national_id=national_id,
        phone_verified_at=now,
        identity_verified_at=now,
        identity_level=level,
    )
    user.set_unusable_password()
    user.save()
    return user


def _same_phone(stored: str, claimed: str) -> bool:
    try:
        return normalize_phone(claimed) == stored
    except ValidationError:
        return False
