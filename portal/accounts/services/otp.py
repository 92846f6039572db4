"""Phone verification codes. Only an HMAC of each code is stored, keyed by SECRET_KEY.

The code a user must type is always the newest one issued for the phone: issuing a new
code silently retires the older ones, and also clears a lockout after too many wrong tries.
"""

import enum
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.accounts.constants import OTP_DEFAULT_MAX_PER_HOUR, OTP_LENGTH, OtpPurpose
from portal.accounts.models import PhoneOTP, User
from portal.accounts.services.common import clean_field
from portal.accounts.validators import normalize_phone
from portal.errors import ServiceError, TooManyRequestsError
from portal.notifications.services import message_send

OTP_WRONG = gettext_lazy("Mã OTP không đúng.")
OTP_FORMAT = gettext_lazy("Mã OTP gồm 6 chữ số.")
OTP_EXPIRED = gettext_lazy("Mã OTP đã hết hạn. Vui lòng yêu cầu gửi lại mã mới.")
OTP_LOCKED = gettext_lazy("Bạn đã nhập sai mã OTP quá nhiều lần. Vui lòng yêu cầu gửi lại mã mới.")
OTP_NONE = gettext_lazy("Chưa có mã OTP nào đang chờ xác thực cho số điện thoại này. Vui lòng yêu cầu gửi mã.")
OTP_RESEND_TOO_SOON = gettext_lazy("Vui lòng chờ {seconds} giây trước khi yêu cầu gửi lại mã.")
OTP_HOURLY_LIMIT = gettext_lazy("Số điện thoại này đã nhận quá nhiều mã trong một giờ. Vui lòng thử lại sau.")
PHONE_NOT_REGISTERED = gettext_lazy("Số điện thoại này chưa đăng ký tài khoản.")
PHONE_ALREADY_VERIFIED = gettext_lazy("Số điện thoại này đã được xác thực.")
OTP_SMS_TEXT = gettext_lazy(
    "Cổng DVC: mã xác thực của bạn là {code}, có hiệu lực trong {minutes} phút. Không cung cấp mã này cho người khác."
)

_CODE_RE = re.compile(rf"^\d{{{OTP_LENGTH}}}$")


class _Outcome(enum.Enum):
    VERIFIED = "verified"
    NO_CODE = "no_code"
    ALREADY_VERIFIED = "already_verified"
    LOCKED = "locked"
    EXPIRED = "expired"
    WRONG = "wrong"


def otp_hash(*, phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _max_per_hour() -> int:
    return getattr(settings, "OTP_MAX_PER_HOUR", OTP_DEFAULT_MAX_PER_HOUR)


def _check_send_allowed(*, phone: str) -> None:
    now = timezone.now()
    recent = PhoneOTP.objects.filter(phone=phone, created_at__gt=now - timedelta(hours=1))
    latest = recent.order_by("-created_at").values_list("created_at", flat=True).first()
    if latest is not None:
        wait = settings.OTP_RESEND_COOLDOWN_SECONDS - int((now - latest).total_seconds())
        if wait > 0:
            raise TooManyRequestsError(OTP_RESEND_TOO_SOON.format(seconds=wait), field="phone", code="otp_cooldown")
    if recent.count() >= _max_per_hour():
        raise TooManyRequestsError(OTP_HOURLY_LIMIT, field="phone", code="otp_hourly_limit")


@transaction.atomic
def otp_issue(*, user: User, phone: str | None = None, purpose: str = OtpPurpose.VERIFY_PHONE) -> PhoneOTP:
    """Send a fresh code by SMS to the account's phone (or `phone`, a new number being proved).

    Every purpose shares the limits, counted per phone: the resend cooldown and the hourly cap.
    """
    phone = phone or user.phone
    # Lock the account row so two simultaneous requests cannot both pass the cooldown check.
    User.objects.select_for_update().values_list("pk", flat=True).get(pk=user.pk)
    _check_send_allowed(phone=phone)
    code = f"{secrets.randbelow(10**OTP_LENGTH):0{OTP_LENGTH}d}"
    now = timezone.now()
    otp = PhoneOTP.objects.create(
        user=user,
        phone=phone,
        purpose=purpose,
        code_hash=otp_hash(phone=phone, code=code),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    body = OTP_SMS_TEXT.format(code=code, minutes=max(1, settings.OTP_TTL_SECONDS // 60))
    message_send(channel="sms", recipient=phone, body=body, user=user)
    return otp


def otp_resend(*, phone: str) -> PhoneOTP:
    phone = clean_field(normalize_phone, phone, field="phone")
    user = User.objects.filter(phone=phone).first()
    if user is None:
        raise ServiceError(PHONE_NOT_REGISTERED, field="phone", code="phone_not_registered")
    if user.is_phone_verified:
        raise ServiceError(PHONE_ALREADY_VERIFIED, field="phone", code="phone_already_verified")
    return otp_issue(user=user)


def otp_verify(*, phone: str, code: str) -> User:
    """Check the newest code for the phone and mark the phone verified."""
    return otp_consume(phone=phone, code=code, purpose=OtpPurpose.VERIFY_PHONE, on_success=_mark_phone_verified)


def _mark_phone_verified(otp: PhoneOTP) -> None:
    otp.user.phone_verified_at = otp.used_at
    otp.user.save(update_fields=["phone_verified_at"])


def otp_consume(*, phone: str, code: str, purpose: str, on_success: Callable[[PhoneOTP], None]) -> User:
    """Check the newest code of `purpose` sent to the phone; `on_success` runs in the same transaction.

    The failed-attempt counter must survive the error, so the check runs in its own
    transaction and the typed error is raised only after it has committed.
    """
    phone = clean_field(normalize_phone, phone, field="phone")
    code = "".join(str(code or "").split())
    if not _CODE_RE.match(code):
        raise ServiceError(OTP_FORMAT, field="otp", code="otp_format")
    outcome, user = _otp_check(phone=phone, code=code, purpose=purpose, on_success=on_success)
    if outcome is _Outcome.VERIFIED:
        return user
    raise _outcome_error(outcome)


def _outcome_error(outcome: _Outcome) -> ServiceError:
    if outcome is _Outcome.LOCKED:
        return TooManyRequestsError(OTP_LOCKED, field="otp", code="otp_locked")
    field, message = {
        _Outcome.NO_CODE: ("phone", OTP_NONE),
        _Outcome.ALREADY_VERIFIED: ("phone", PHONE_ALREADY_VERIFIED),
        _Outcome.EXPIRED: ("otp", OTP_EXPIRED),
        _Outcome.WRONG: ("otp", OTP_WRONG),
    }[outcome]
    return ServiceError(message, field=field, code=f"otp_{outcome.value}")


@transaction.atomic
def _otp_check(*, phone: str, code: str, purpose: str, on_success) -> tuple[_Outcome, User | None]:
    otp = (
        PhoneOTP.objects.select_for_update()
        .select_related("user")
        .filter(phone=phone, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    if otp is None:
        return _Outcome.NO_CODE, None
    user = otp.user
    if purpose == OtpPurpose.VERIFY_PHONE and user.is_phone_verified:
        return _Outcome.ALREADY_VERIFIED, user
    if otp.used_at is not None:
        return _Outcome.NO_CODE, user
    if otp.failed_attempts >= settings.OTP_MAX_ATTEMPTS:
        return _Outcome.LOCKED, user
    now = timezone.now()
    if otp.expires_at <= now:
        return _Outcome.EXPIRED, user
    if not hmac.compare_digest(otp.code_hash, otp_hash(phone=phone, code=code)):
        otp.failed_attempts += 1
        otp.save(update_fields=["failed_attempts"])
        return _Outcome.WRONG, user
    otp.used_at = now
    otp.save(update_fields=["used_at"])
    on_success(otp)
    return _Outcome.VERIFIED, user
