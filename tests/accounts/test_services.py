from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from portal.accounts.constants import AccountKind
from portal.accounts.models import PhoneOTP, User
from portal.accounts.services import otp as otp_services
from portal.accounts.services import otp_resend, otp_verify, user_register
from portal.accounts.services import registration as reg
from portal.errors import ServiceError, TooManyRequestsError
from portal.notifications.models import OutboundMessage
from tests.accounts.conftest import latest_otp

pytestmark = pytest.mark.django_db


def test_register_creates_unverified_citizen_and_sends_otp(register_data):
    user = user_register(**register_data)
    assert user.kind == AccountKind.CITIZEN
    assert not user.is_phone_verified
    assert user.check_password(register_data["password"])
    message = OutboundMessage.objects.get(recipient="0987654321")
    assert message.channel == "sms"
    assert message.user == user
    assert len(latest_otp("0987654321")) == 6


def test_register_normalises_phone_and_national_id(register_data):
    user = user_register(**{**register_data, "phone": "+84 98 765 4321", "national_id": "030 195 001 234"})
    assert (user.phone, user.national_id) == ("0987654321", "030195001234")


def test_register_organisation_needs_tax_code(register_data):
    data = {**register_data, "account_type": AccountKind.ORGANISATION, "national_id": ""}
    with pytest.raises(ServiceError) as info:
        user_register(**data)
    assert (info.value.field, info.value.message) == ("tax_code", str(reg.TAX_CODE_REQUIRED))
    user = user_register(**data, tax_code="0800123456-002")
    assert (user.kind, user.tax_code, user.national_id) == (AccountKind.ORGANISATION, "0800123456002", None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "0201234567", "Số điện thoại di động không hợp lệ"),
        ("national_id", "12345", "Số CCCD phải gồm đúng 12 chữ số."),
        ("national_id", "", str(reg.NATIONAL_ID_REQUIRED)),
        ("full_name", "   ", str(reg.FULL_NAME_REQUIRED)),
        ("email", "not-an-email", str(reg.EMAIL_INVALID)),
        ("password", "12345678", ""),
        ("account_type", "official", str(reg.ACCOUNT_TYPE_INVALID)),
    ],
)
def test_register_rejects_bad_field(register_data, field, value, message):
    with pytest.raises(ServiceError) as info:
        user_register(**{**register_data, field: value})
    assert info.value.field == field
    assert info.value.message.startswith(message)
    assert not User.objects.exists()
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(("field", "message"), [("phone", reg.PHONE_TAKEN), ("national_id", reg.NATIONAL_ID_TAKEN)])
def test_register_rejects_duplicates(register_data, citizen, field, message):
    data = {**register_data, field: getattr(citizen, field)}
    with pytest.raises(ServiceError) as info:
        user_register(**data)
    assert (info.value.field, info.value.message) == (field, str(message))


def test_otp_is_stored_only_as_hmac(register_data):
    user_register(**register_data)
    code = latest_otp("0987654321")
    otp = PhoneOTP.objects.get()
    stored = " ".join(str(value) for value in PhoneOTP.objects.values().get().values())
    assert code not in stored
    assert otp.code_hash == otp_services.otp_hash(phone="0987654321", code=code)
    assert len(otp.code_hash) == 64


def test_verify_success_marks_phone_and_otp(register_data):
    user_register(**register_data)
    user = otp_verify(phone="0987 654 321", code=latest_otp("0987654321"))
    assert user.is_phone_verified
    otp = PhoneOTP.objects.get()
    assert otp.used_at is not None
    with pytest.raises(ServiceError) as info:
        otp_verify(phone="0987654321", code=latest_otp("0987654321"))
    assert info.value.message == str(otp_services.PHONE_ALREADY_VERIFIED)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_wrong_code_counts_attempts_then_locks_even_for_right_code(register_data):
    user_register(**register_data)
    code = latest_otp("0987654321")
    for attempt in range(1, settings.OTP_MAX_ATTEMPTS + 1):
        with pytest.raises(ServiceError) as info:
            otp_verify(phone="0987654321", code=_wrong(code))
        assert info.value.status_code == 400
        assert info.value.message == str(otp_services.OTP_WRONG)
        assert PhoneOTP.objects.get().failed_attempts == attempt
    with pytest.raises(TooManyRequestsError) as info:
        otp_verify(phone="0987654321", code=code)
    assert info.value.message == str(otp_services.OTP_LOCKED)
    assert not User.objects.get().is_phone_verified


def test_new_code_lifts_the_lock(register_data):
    user_register(**register_data)
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        with pytest.raises(ServiceError):
            otp_verify(phone="0987654321", code=_wrong(latest_otp("0987654321")))
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS + 1)):
        otp_resend(phone="0987654321")
        assert otp_verify(phone="0987654321", code=latest_otp("0987654321")).is_phone_verified


def test_expired_code_has_its_own_message(register_data):
    user_register(**register_data)
    code = latest_otp("0987654321")
    later = timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS + 1)
    with time_machine.travel(later), pytest.raises(ServiceError) as info:
        otp_verify(phone="0987654321", code=code)
    assert (info.value.status_code, info.value.message) == (400, str(otp_services.OTP_EXPIRED))


def test_malformed_code_does_not_count(register_data):
    user_register(**register_data)
    with pytest.raises(ServiceError) as info:
        otp_verify(phone="0987654321", code="12ab")
    assert info.value.message == str(otp_services.OTP_FORMAT)
    assert PhoneOTP.objects.get().failed_attempts == 0


def test_resend_waits_for_cooldown_and_old_code_stops_working(register_data):
    user_register(**register_data)
    first = latest_otp("0987654321")
    with pytest.raises(TooManyRequestsError) as info:
        otp_resend(phone="0987654321")
    assert info.value.code == "otp_cooldown"
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS + 1)):
        otp_resend(phone="0987654321")
        second = latest_otp("0987654321")
        assert PhoneOTP.objects.count() == 2
        if first != second:
            with pytest.raises(ServiceError):
                otp_verify(phone="0987654321", code=first)
        assert otp_verify(phone="0987654321", code=second).is_phone_verified


def test_resend_is_capped_per_hour(register_data, settings):
    settings.OTP_MAX_PER_HOUR = 3
    user_register(**register_data)
    start = timezone.now()
    step = timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS + 1)
    for n in (1, 2):
        with time_machine.travel(start + n * step):
            otp_resend(phone="0987654321")
    with time_machine.travel(start + 3 * step), pytest.raises(TooManyRequestsError) as info:
        otp_resend(phone="0987654321")
    assert info.value.code == "otp_hourly_limit"
    with time_machine.travel(start + timedelta(hours=1, seconds=1) + 2 * step):
        otp_resend(phone="0987654321")


def test_resend_unknown_or_verified_phone(citizen):
    with pytest.raises(ServiceError) as info:
        otp_resend(phone="0987654321")
    assert info.value.message == str(otp_services.PHONE_NOT_REGISTERED)
    with pytest.raises(ServiceError) as info:
        otp_resend(phone=citizen.phone)
    assert info.value.message == str(otp_services.PHONE_ALREADY_VERIFIED)
