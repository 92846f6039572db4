"""Passwords: forgotten (a code by SMS to the account's phone, same limits as phone verification), changed."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from portal.accounts.constants import OtpPurpose
from portal.accounts.models import PhoneOTP, User
from portal.accounts.selectors import user_find_by_login
from portal.accounts.services.otp import otp_consume, otp_issue
from portal.accounts.services.registration import check_password_strength
from portal.errors import ServiceError

ACCOUNT_NOT_FOUND = _("Không tìm thấy tài khoản với số điện thoại hoặc số CCCD này.")
OLD_PASSWORD_WRONG = _("Mật khẩu hiện tại không đúng.")


def _account(username: str) -> User:
    user = user_find_by_login(username=str(username or ""))
    if user is None or not user.is_active:
        raise ServiceError(ACCOUNT_NOT_FOUND, field="username", code="not_found")
    return user


def password_reset_start(*, username: str) -> PhoneOTP:
    """A code to the account's own phone (never one typed here): who holds the phone may set the password."""
    return otp_issue(user=_account(username), purpose=OtpPurpose.SET_PASSWORD)


def password_reset_confirm(*, username: str, otp: str, password: str) -> User:
    """With the newest code sent to the account's phone, a new password; the phone counts as verified too."""
    user = _account(username)
    check_password_strength(password, user)  # before the code is spent on a password that would be refused

    def set_password(code: PhoneOTP) -> None:
        code.user.set_password(password)
        code.user.phone_verified_at = code.user.phone_verified_at or code.used_at
        code.user.save(update_fields=["password", "phone_verified_at"])
        # Whoever knew the old password may hold API tokens: they end with it (sessions end by Django's hash).
        AuthToken.objects.filter(user=code.user).delete()

    return otp_consume(phone=user.phone, code=otp, purpose=OtpPurpose.SET_PASSWORD, on_success=set_password)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A signed-in person changes their password; one who never had one (VNeID, counter) needs no old one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password() and not user.check_password(old_password or ""):
        raise ServiceError(OLD_PASSWORD_WRONG, field="old_password", code="wrong_password")
    check_password_strength(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user
