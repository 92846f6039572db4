from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from knox.models import AuthToken

from portal.accounts.constants import Role
from portal.accounts.models import User
from portal.accounts.services import otp as otp_services
from portal.accounts.services import registration as reg
from portal.accounts.services.auth import INVALID_CREDENTIALS, PHONE_NOT_VERIFIED
from portal.accounts.validators import NATIONAL_ID_FORMAT, PHONE_INVALID
from portal.notifications.models import OutboundMessage
from tests.accounts.conftest import PASSWORD, latest_otp
from tests.factories import AgencyFactory, make_official

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
VERIFY = "/api/v1/auth/verify-phone/"
RESEND = "/api/v1/auth/resend-otp/"
LOGIN = "/api/v1/auth/login/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_register_201_and_otp_in_outbox(api_client, register_data):
    response = api_client.post(REGISTER, register_data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "id": User.objects.get().pk,
        "full_name": "Nguyễn Thị Hoa",
        "phone": "0987654321",
        "kind": "citizen",
        "phone_verified": False,
    }
    assert "password" not in body
    assert OutboundMessage.objects.filter(recipient="0987654321", channel="sms").count() == 1


def test_register_organisation(api_client, register_data):
    data = {**register_data, "account_type": "organisation", "national_id": "", "tax_code": "0800123456"}
    response = api_client.post(REGISTER, data, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "organisation"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "0123456789", str(PHONE_INVALID)),
        ("national_id", "0300", str(NATIONAL_ID_FORMAT)),
        ("password", "123", None),
    ],
)
def test_register_bad_field_400(api_client, register_data, field, value, message):
    response = api_client.post(REGISTER, {**register_data, field: value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    if message:
        assert response.json()[field] == [message]


def test_register_missing_field_400(api_client, register_data):
    del register_data["phone"]
    response = api_client.post(REGISTER, register_data, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()


@pytest.mark.parametrize(("field", "message"), [("phone", reg.PHONE_TAKEN), ("national_id", reg.NATIONAL_ID_TAKEN)])
def test_register_duplicate_400(api_client, register_data, citizen, field, message):
    response = api_client.post(REGISTER, {**register_data, field: getattr(citizen, field)}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [str(message)]}


def _register(api_client, data) -> str:
    assert api_client.post(REGISTER, data, format="json").status_code == 201
    return latest_otp(data["phone"])


def test_verify_phone_200_then_login_by_phone_and_national_id(api_client, register_data):
    code = _register(api_client, register_data)
    response = api_client.post(VERIFY, {"phone": "0987654321", "otp": code}, format="json")
    assert response.status_code == 200
    assert response.json()["phone_verified"] is True
    for username in ("0987654321", "+84 987 654 321", "030195001234"):
        login = api_client.post(LOGIN, {"username": username, "password": PASSWORD}, format="json")
        assert login.status_code == 200, login.json()
        body = login.json()
        assert set(body) == {"token", "expiry", "user"}
        assert body["user"]["national_id"] == "030195001234"
        client = type(api_client)()
        client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
        me = client.get(ME)
        assert me.status_code == 200
        assert me.json()["phone"] == "0987654321"
        assert me.json()["roles"] == []


def test_token_is_stored_only_as_digest(api_client, citizen):
    token = api_client.post(LOGIN, {"username": citizen.phone, "password": "Matkhau@2026"}, format="json").json()
    stored = AuthToken.objects.get(user=citizen)
    assert stored.digest != token["token"]
    assert token["token"] not in stored.digest


def test_wrong_otp_400(api_client, register_data):
    code = _register(api_client, register_data)
    response = api_client.post(VERIFY, {"phone": "0987654321", "otp": _wrong(code)}, format="json")
    assert response.status_code == 400
    assert response.json() == {"otp": [str(otp_services.OTP_WRONG)]}


@pytest.mark.parametrize("sixth_is_right", [False, True])
def test_five_wrong_then_sixth_429(api_client, register_data, sixth_is_right):
    code = _register(api_client, register_data)
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        response = api_client.post(VERIFY, {"phone": "0987654321", "otp": _wrong(code)}, format="json")
        assert response.status_code == 400
    sixth = code if sixth_is_right else _wrong(code)
    response = api_client.post(VERIFY, {"phone": "0987654321", "otp": sixth}, format="json")
    assert response.status_code == 429
    assert response.json() == {"otp": [str(otp_services.OTP_LOCKED)]}
    assert not User.objects.get().is_phone_verified


def test_expired_otp_400(api_client, register_data):
    code = _register(api_client, register_data)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS + 1)):
        response = api_client.post(VERIFY, {"phone": "0987654321", "otp": code}, format="json")
    assert response.status_code == 400
    assert response.json() == {"otp": [str(otp_services.OTP_EXPIRED)]}


def test_resend_otp_cooldown_429_then_200(api_client, register_data):
    _register(api_client, register_data)
    response = api_client.post(RESEND, {"phone": "0987654321"}, format="json")
    assert response.status_code == 429
    assert list(response.json()) == ["phone"]
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS + 1)):
        response = api_client.post(RESEND, {"phone": "0987654321"}, format="json")
    assert response.status_code == 200
    assert OutboundMessage.objects.filter(recipient="0987654321").count() == 2


def test_login_before_verification_403(api_client, register_data):
    _register(api_client, register_data)
    response = api_client.post(LOGIN, {"username": "0987654321", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == str(PHONE_NOT_VERIFIED)
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize("username", ["0987654321", "0900000000", "030195001234", "not-a-login"])
def test_login_wrong_credentials_400(api_client, citizen, username):
    citizen_login = citizen.phone if username == "0987654321" else username
    response = api_client.post(LOGIN, {"username": citizen_login, "password": "wrong-password"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": str(INVALID_CREDENTIALS), "code": "invalid_credentials"}


def test_inactive_user_cannot_log_in(api_client, citizen):
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = api_client.post(LOGIN, {"username": citizen.phone, "password": "Matkhau@2026"}, format="json")
    assert response.status_code == 400


def test_me_401_without_auth(api_client):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_me_lists_roles_of_an_official(api_client):
    agency = AgencyFactory(code="000.00.01.H26", name="Sở Tư pháp tỉnh Hải Dương")
    official = make_official(role=Role.PROCESSOR, agency=agency)
    api_client.force_authenticate(official)
    response = api_client.get(ME)
    assert response.status_code == 200
    assert response.json()["kind"] == "official"
    assert response.json()["roles"] == [
        {
            "role": "processor",
            "role_label": str(Role.PROCESSOR.label),
            "agency": "000.00.01.H26",
            "agency_name": "Sở Tư pháp tỉnh Hải Dương",
        }
    ]


def test_me_trainer_role_has_no_agency(api_client, django_assert_max_num_queries):
    trainer = make_official(role=Role.TRAINER)
    api_client.force_authenticate(trainer)
    with django_assert_max_num_queries(3):
        response = api_client.get(ME)
    assert response.json()["roles"][0]["agency"] is None


def test_logout_revokes_the_token(api_client, citizen):
    token = api_client.post(LOGIN, {"username": citizen.phone, "password": "Matkhau@2026"}, format="json").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    assert api_client.post(LOGOUT).status_code == 204
    assert api_client.get(ME).status_code == 401


def test_login_is_throttled(api_client, citizen, settings):
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**ScopedRateThrottle.THROTTLE_RATES, "auth": "2/min"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
        answers = [
            api_client.post(LOGIN, {"username": citizen.phone, "password": "x"}, format="json").status_code
            for _ in range(3)
        ]
    assert answers == [400, 400, 429]


def test_schema_documents_the_accounts_api(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (REGISTER, VERIFY, RESEND, LOGIN, LOGOUT, ME):
        assert path in paths
