"""Forgotten password, claiming a counter-created account, change password, profile and postal prefill,
change phone, registration errors all at once: through the API and the pages."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from dossiers.services.counter import applicant_for_counter
from portal.accounts.constants import OtpPurpose
from portal.accounts.models import PhoneOTP, User
from portal.accounts.services import otp as otp_service
from portal.accounts.services import password as password_service
from portal.accounts.services import profile
from portal.accounts.services import registration as reg
from portal.notifications.models import OutboundMessage
from tests.accounts.conftest import latest_otp

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Doi-mat-khau@2027"
OLD_PASSWORD = "Matkhau@2026"  # CitizenFactory's


def _later(settings):
    return time_machine.travel(timezone.now() + timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS + 1))


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _login(api_client, username, password):
    return api_client.post("/api/v1/auth/login/", {"username": username, "password": password}, format="json")


# --- Forgotten password -----------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["phone", "national_id"])
def test_password_reset_by_phone_otp_then_login_with_the_new_password(api_client, citizen, by):
    username = getattr(citizen, by)
    answer = api_client.post("/api/v1/auth/password-reset/", {"username": username}, format="json")
    assert answer.status_code == 200
    assert answer.json()["phone"] == f"{citizen.phone[:3]}****{citizen.phone[-3:]}"
    code = latest_otp(citizen.phone)
    confirm = api_client.post(
        "/api/v1/auth/password-reset/confirm/",
        {"username": username, "otp": code, "password": NEW_PASSWORD},
        format="json",
    )
    assert confirm.status_code == 200
    assert _login(api_client, citizen.phone, NEW_PASSWORD).status_code == 200
    assert _login(api_client, citizen.phone, OLD_PASSWORD).status_code == 400


def test_a_password_reset_ends_the_accounts_api_tokens(api_client, citizen):
    token = _login(api_client, citizen.phone, OLD_PASSWORD).json()["token"]
    password_service.password_reset_start(username=citizen.phone)
    password_service.password_reset_confirm(
        username=citizen.phone, otp=latest_otp(citizen.phone), password=NEW_PASSWORD
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_password_reset_unknown_account_400(api_client):
    answer = api_client.post("/api/v1/auth/password-reset/", {"username": "0987000111"}, format="json")
    assert answer.status_code == 400 and "username" in answer.json()


def test_password_reset_wrong_codes_lock_the_code_as_phone_verification_does(api_client, citizen, settings):
    api_client.post("/api/v1/auth/password-reset/", {"username": citizen.phone}, format="json")
    code = latest_otp(citizen.phone)
    body = {"username": citizen.phone, "password": NEW_PASSWORD}
    for _attempt in range(settings.OTP_MAX_ATTEMPTS):
        wrong = api_client.post("/api/v1/auth/password-reset/confirm/", {**body, "otp": _wrong(code)}, format="json")
        assert wrong.status_code == 400 and "otp" in wrong.json()
    locked = api_client.post("/api/v1/auth/password-reset/confirm/", {**body, "otp": code}, format="json")
    assert locked.status_code == 429
    citizen.refresh_from_db()
    assert citizen.check_password(OLD_PASSWORD)


def test_password_reset_codes_share_the_cooldown_and_hourly_cap(api_client, citizen, settings):
    first = api_client.post("/api/v1/auth/password-reset/", {"username": citizen.phone}, format="json")
    again = api_client.post("/api/v1/auth/password-reset/", {"username": citizen.phone}, format="json")
    assert (first.status_code, again.status_code) == (200, 429)
    settings.OTP_MAX_PER_HOUR = 2
    with _later(settings):
        assert (
            api_client.post("/api/v1/auth/password-reset/", {"username": citizen.phone}, format="json").status_code
            == 200
        )
    with time_machine.travel(timezone.now() + timedelta(seconds=2 * settings.OTP_RESEND_COOLDOWN_SECONDS + 2)):
        capped = api_client.post("/api/v1/auth/password-reset/", {"username": citizen.phone}, format="json")
    assert capped.status_code == 429 and capped.json()["phone"] == [str(otp_service.OTP_HOURLY_LIMIT)]


def test_an_expired_reset_code_is_refused(citizen, settings):
    password_service.password_reset_start(username=citizen.phone)
    code = latest_otp(citizen.phone)
    later = timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS + 1)
    with time_machine.travel(later), pytest.raises(otp_service.ServiceError) as info:
        password_service.password_reset_confirm(username=citizen.phone, otp=code, password=NEW_PASSWORD)
    assert info.value.message == str(otp_service.OTP_EXPIRED)


def test_a_weak_new_password_does_not_spend_the_code(citizen):
    password_service.password_reset_start(username=citizen.phone)
    code = latest_otp(citizen.phone)
    with pytest.raises(otp_service.ServiceError) as info:
        password_service.password_reset_confirm(username=citizen.phone, otp=code, password="12345678")
    assert info.value.field == "password"
    password_service.password_reset_confirm(username=citizen.phone, otp=code, password=NEW_PASSWORD)


def test_a_phone_verification_code_does_not_reset_a_password(register_data):
    reg.user_register(**register_data)
    code = latest_otp(register_data["phone"])
    with pytest.raises(otp_service.ServiceError) as info:
        password_service.password_reset_confirm(username=register_data["phone"], otp=code, password=NEW_PASSWORD)
    assert info.value.code == "otp_no_code"


def test_password_reset_pages(client, citizen):
    start = client.post(reverse("accounts:password_reset"), {"username": citizen.national_id})
    assert start.status_code == 302 and start["Location"] == reverse("accounts:password_reset_confirm")
    page = client.get(start["Location"])
    assert page.context["form"]["username"].value() == citizen.national_id
    data = {
        "username": citizen.national_id,
        "otp": latest_otp(citizen.phone),
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    done = client.post(start["Location"], data)
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)


def test_the_reset_pages_spend_the_otp_budget_of_the_client_address(client, citizen, monkeypatch):
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "otp": "2/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    statuses = [
        client.post(
            reverse("accounts:password_reset"), {"username": "0987000111"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]  # an unknown account (200 with the error), then the budget is spent


# --- Claiming an account the counter opened -----------------------------------------------------------


@pytest.fixture
def counter_account(db):
    return applicant_for_counter(full_name="Đỗ Văn Quầy", national_id="030188007777", phone="0977123456")


def test_registering_with_a_counter_accounts_national_id_claims_it(api_client, counter_account, register_data):
    data = {**register_data, "national_id": counter_account.national_id, "phone": "0988111222"}
    answer = api_client.post("/api/v1/auth/register/", data, format="json")
    assert answer.status_code == 202
    assert answer.json() == {
        "detail": answer.json()["detail"],
        "claim": True,
        "phone": "097****456",
    }
    assert User.objects.filter(national_id=counter_account.national_id).count() == 1
    assert not User.objects.filter(phone="0988111222").exists()
    assert not OutboundMessage.objects.filter(recipient="0988111222").exists()  # the code goes to the counter's phone
    confirm = api_client.post(
        "/api/v1/auth/password-reset/confirm/",
        {"username": counter_account.national_id, "otp": latest_otp("0977123456"), "password": NEW_PASSWORD},
        format="json",
    )
    assert confirm.status_code == 200
    counter_account.refresh_from_db()
    assert counter_account.has_usable_password() and counter_account.is_phone_verified
    assert _login(api_client, counter_account.national_id, NEW_PASSWORD).status_code == 200


def test_claiming_keeps_the_otp_limits(api_client, counter_account, register_data):
    data = {**register_data, "national_id": counter_account.national_id}
    assert api_client.post("/api/v1/auth/register/", data, format="json").status_code == 202
    assert api_client.post("/api/v1/auth/register/", data, format="json").status_code == 429


def test_an_account_with_a_password_is_still_a_duplicate(api_client, citizen, register_data):
    answer = api_client.post(
        "/api/v1/auth/register/", {**register_data, "national_id": citizen.national_id}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["national_id"] == [str(reg.NATIONAL_ID_TAKEN)]


def test_claiming_on_the_registration_page(client, counter_account, register_data):
    data = {**register_data, "national_id": counter_account.national_id, "password_confirm": register_data["password"]}
    answer = client.post(reverse("accounts:register"), {**data, "account_type": "citizen"})
    assert answer.status_code == 302 and answer["Location"] == reverse("accounts:password_reset_confirm")
    page = client.get(answer["Location"])
    assert "097****456" in page.content.decode()
    assert page.context["form"]["username"].value() == counter_account.national_id
    assert PhoneOTP.objects.get(phone="0977123456").purpose == OtpPurpose.SET_PASSWORD


# --- Registration: every error at once, tax code only for organisations --------------------------------


def test_the_api_names_every_wrong_field_at_once(api_client):
    data = {"full_name": "Nguyễn Hoa", "phone": "0201234567", "national_id": "123", "password": "123", "email": "x"}
    answer = api_client.post("/api/v1/auth/register/", data, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"phone", "national_id", "password", "email"}


def test_the_registration_page_shows_every_field_error_at_once(client):
    data = {
        "account_type": "citizen",
        "full_name": "",
        "phone": "0201234567",
        "national_id": "123",
        "password": "Xin-chao@2026",
        "password_confirm": "different",
        "email": "not-an-email",
    }
    page = client.post(reverse("accounts:register"), data)
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"full_name", "phone", "national_id", "password_confirm", "email"}


def test_a_citizen_may_not_give_a_tax_code(api_client, register_data):
    answer = api_client.post("/api/v1/auth/register/", {**register_data, "tax_code": "0800123456"}, format="json")
    assert answer.status_code == 400 and answer.json()["tax_code"] == [str(reg.TAX_CODE_ONLY_ORGANISATIONS)]


# --- Change password ------------------------------------------------------------------------------


def test_change_password_needs_the_old_one(citizen_client, citizen, api_client):
    wrong = citizen_client.post(
        "/api/v1/me/password/", {"old_password": "nope", "new_password": NEW_PASSWORD}, format="json"
    )
    assert wrong.status_code == 400 and "old_password" in wrong.json()
    ok = citizen_client.post(
        "/api/v1/me/password/", {"old_password": OLD_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )
    assert ok.status_code == 200
    assert _login(api_client, citizen.phone, NEW_PASSWORD).status_code == 200


def test_a_password_less_account_sets_one_without_an_old_password(client, counter_account):
    client.force_login(counter_account)
    page = client.get(reverse("accounts:password_change"))
    assert "old_password" not in page.context["form"].fields
    done = client.post(
        reverse("accounts:password_change"), {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert done.status_code == 302
    counter_account.refresh_from_db()
    assert counter_account.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in


def test_change_password_page_keeps_the_session(client, citizen):
    client.force_login(citizen)
    data = {"old_password": OLD_PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert client.post(reverse("accounts:password_change"), data).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


# --- Profile: e-mail and the address postal delivery starts from ---------------------------------------

ADDRESS = {"province": "Thành phố Hải Phòng", "commune": "Phường Lê Thanh Nghị", "street": "12 Trần Hưng Đạo"}


def test_profile_address_is_checked_and_kept_canonical(citizen_client, citizen):
    answer = citizen_client.patch("/api/v1/me/", {"email": "an@example.com", "postal_address": ADDRESS}, format="json")
    assert answer.status_code == 200, answer.json()
    citizen.refresh_from_db()
    assert citizen.email == "an@example.com"
    assert citizen.postal_address["street"] == "12 Trần Hưng Đạo"
    assert citizen.postal_address["province_code"] and citizen.postal_address["commune_code"]
    assert answer.json()["postal_address"]["commune"] == citizen.postal_address["commune"]


def test_profile_refuses_an_unknown_commune_and_a_half_address(citizen_client):
    bad = citizen_client.patch("/api/v1/me/", {"postal_address": {**ADDRESS, "commune": "Xã Không Có"}}, format="json")
    assert bad.status_code == 400 and "commune" in bad.json()
    half = citizen_client.patch("/api/v1/me/", {"postal_address": {"province": ADDRESS["province"]}}, format="json")
    assert half.status_code == 400 and set(half.json()) == {"commune", "street"}
    email = citizen_client.patch("/api/v1/me/", {"email": "not-an-email"}, format="json")
    assert email.status_code == 400 and "email" in email.json()


def test_the_profile_address_prefills_a_postal_pickup(client, citizen, procedure):
    client.force_login(citizen)
    saved = client.post(reverse("accounts:profile_edit"), {"email": "", **ADDRESS, "district": ""})
    assert saved.status_code == 302
    page = client.get(reverse("postal:pickup-new", args=[procedure.code]))
    form = page.context["form"]
    assert form["street"].value() == "12 Trần Hưng Đạo"
    assert form["commune"].value() == User.objects.get(pk=citizen.pk).postal_address["commune"]


# --- Change phone -------------------------------------------------------------------------------------


def test_change_phone_with_a_code_sent_to_the_new_number(citizen_client, citizen, api_client):
    start = citizen_client.post("/api/v1/me/phone/", {"phone": "0988222333"}, format="json")
    assert start.status_code == 200
    assert OutboundMessage.objects.filter(recipient="0988222333").exists()
    wrong = citizen_client.post(
        "/api/v1/me/phone/confirm/", {"phone": "0988222333", "otp": _wrong(latest_otp("0988222333"))}, format="json"
    )
    assert wrong.status_code == 400
    done = citizen_client.post(
        "/api/v1/me/phone/confirm/", {"phone": "0988222333", "otp": latest_otp("0988222333")}, format="json"
    )
    assert done.status_code == 200 and done.json()["phone"] == "0988222333"
    assert _login(api_client, "0988222333", OLD_PASSWORD).status_code == 200


def test_change_phone_refuses_a_number_in_use_and_keeps_the_cooldown(citizen_client, django_user_model):
    other = django_user_model.objects.create_user("0988444555", "x", full_name="Người khác")
    taken = citizen_client.post("/api/v1/me/phone/", {"phone": other.phone}, format="json")
    assert taken.status_code == 400 and "phone" in taken.json()
    assert citizen_client.post("/api/v1/me/phone/", {"phone": "0988222333"}, format="json").status_code == 200
    assert citizen_client.post("/api/v1/me/phone/", {"phone": "0988222333"}, format="json").status_code == 429


def test_another_accounts_code_for_the_same_number_does_not_move_it(citizen, django_user_model):
    other = django_user_model.objects.create_user("0988666777", "x", full_name="Người khác", national_id="030190000077")
    profile.phone_change_start(user=citizen, phone="0988222333")
    code = latest_otp("0988222333")
    with pytest.raises(otp_service.ServiceError):
        profile.phone_change_confirm(user=other, phone="0988222333", otp=code)
    assert not django_user_model.objects.filter(phone="0988222333").exists()


def test_change_phone_pages(client, citizen):
    client.force_login(citizen)
    start = client.post(reverse("accounts:phone_change"), {"phone": "0988 222 333"})
    assert start.status_code == 302
    done = client.post(start["Location"], {"phone": "0988222333", "otp": latest_otp("0988222333")})
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "0988222333" and citizen.is_phone_verified


def test_account_pages_render(client, citizen):
    client.force_login(citizen)
    for name in ("profile", "profile_edit", "password_change", "phone_change", "phone_change_confirm"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 200, name
    client.logout()
    for name in ("password_reset", "password_reset_confirm", "login", "register"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 200, name
