"""Signing in: the same checks for the web session and for API tokens (django-rest-knox)."""

from django.contrib.auth import authenticate, user_logged_in
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from knox.settings import knox_settings

from portal.accounts.lockout import login_is_locked, login_locked_error
from portal.accounts.models import User
from portal.errors import PermissionDeniedError, ServiceError

INVALID_CREDENTIALS = _("Số điện thoại/số CCCD hoặc mật khẩu không đúng.")
PHONE_NOT_VERIFIED = _("Số điện thoại chưa được xác thực. Vui lòng nhập mã OTP đã gửi đến điện thoại của bạn.")


def user_authenticate(*, request, username: str, password: str) -> User:
    """The user for a phone or CCCD and password; an unverified phone is refused only after the password matched.

    A locked-out account or address is refused with when to try again, even with the right password.
    """
    user = authenticate(request, username=username, password=password)
    if login_is_locked(request):
        raise login_locked_error(request, username=username)
    if user is None:
        raise ServiceError(INVALID_CREDENTIALS, code="invalid_credentials")
    if not user.is_phone_verified:
        raise PermissionDeniedError(PHONE_NOT_VERIFIED, code="phone_not_verified")
    return user


@transaction.atomic
def auth_token_create(*, user: User, request=None) -> tuple[AuthToken, str]:
    """A new API token; the plain key is returned once and only its digest is stored.

    The user's expired tokens are deleted here (the per-request check no longer sweeps them)."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    instance, key = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return instance, key


@transaction.atomic
def auth_token_delete(*, token: AuthToken) -> None:
    token.delete()
