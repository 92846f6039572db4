from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.accounts.constants import Role
from portal.accounts.models import User
from portal.accounts.services import otp as otp_services
from portal.accounts.services import registration as reg
from portal.accounts.services.auth import INVALID_CREDENTIALS, PHONE_NOT_VERIFIED
from portal.notifications.services import message_send
from tests.accounts.conftest import PASSWORD, latest_otp
from tests.factories import AgencyFactory, CitizenFactory, make_official

pytestmark = pytest.mark.django_db


def _register_form(**overrides):
    return {
        "account_type": "citizen",
        "full_name": "Lê Thị Mai",
        "phone": "0977 123 456",
        "national_id": "030196004321",
        "tax_code": "",
        "email": "",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **overrides,
    }


@pytest.mark.parametrize("name", ["register", "verify_phone", "login"])
def test_public_pages_render(client, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'method="post"' in content
    assert "<label" in content


def test_register_verify_login_flow(client):
    response = client.post(reverse("accounts:register"), _register_form())
    assert response.status_code == 302
    assert response.url == reverse("accounts:verify_phone")

    page = client.get(response.url)
    assert 'value="0977123456"' in page.content.decode()

    response = client.post(reverse("accounts:verify_phone"), {"phone": "0977123456", "otp": latest_otp("0977123456")})
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert User.objects.get(phone="0977123456").is_phone_verified

    response = client.post(reverse("accounts:login"), {"username": "030196004321", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dossiers:list")  # a citizen lands on their dossiers

    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200
    assert "Lê Thị Mai" in profile.content.decode()
    assert "Đã xác thực" in profile.content.decode()

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_register_errors_next_to_fields(client, citizen):
    response = client.post(
        reverse("accounts:register"), _register_form(phone=citizen.phone, password_confirm="khac-nhau")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["password_confirm"]
    response = client.post(reverse("accounts:register"), _register_form(phone=citizen.phone))
    assert response.context["form"].errors == {"phone": [str(reg.PHONE_TAKEN)]}
    response = client.post(reverse("accounts:register"), _register_form(national_id="123"))
    assert list(response.context["form"].errors) == ["national_id"]
    assert 'class="errorlist field-error"' in response.content.decode()


def test_organisation_registers_through_the_page(client):
    response = client.post(
        reverse("accounts:register"),
        _register_form(account_type="organisation", national_id="", tax_code="0800123456-001", full_name="Công ty A"),
    )
    assert response.status_code == 302
    assert User.objects.get(phone="0977123456").tax_code == "0800123456001"


def test_wrong_then_locked_otp_shown_on_the_field(client):
    client.post(reverse("accounts:register"), _register_form())
    code = latest_otp("0977123456")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        response = client.post(reverse("accounts:verify_phone"), {"phone": "0977123456", "otp": wrong})
        assert response.context["form"].errors == {"otp": [str(otp_services.OTP_WRONG)]}
    response = client.post(reverse("accounts:verify_phone"), {"phone": "0977123456", "otp": code})
    assert response.context["form"].errors == {"otp": [str(otp_services.OTP_LOCKED)]}


def test_resend_button(client, time_machine):
    client.post(reverse("accounts:register"), _register_form())
    response = client.post(reverse("accounts:resend_otp"), {"phone": "0977123456"}, follow=True)
    assert "Vui lòng chờ" in response.content.decode()
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS + 1))
    response = client.post(reverse("accounts:resend_otp"), {"phone": "0977123456"}, follow=True)
    assert "Mã OTP mới đã được gửi" in response.content.decode()
    assert client.get(reverse("accounts:resend_otp")).status_code == 405


def test_login_page_errors(client, citizen):
    response = client.post(reverse("accounts:login"), {"username": citizen.phone, "password": "sai"})
    assert response.context["form"].non_field_errors() == [str(INVALID_CREDENTIALS)]


def test_login_unverified_points_to_verification(client):
    client.post(reverse("accounts:register"), _register_form())
    response = client.post(reverse("accounts:login"), {"username": "0977123456", "password": PASSWORD})
    assert response.context["form"].non_field_errors() == [str(PHONE_NOT_VERIFIED)]
    assert reverse("accounts:verify_phone") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_follows_only_safe_next(client, citizen):
    data = {"username": citizen.phone, "password": "Matkhau@2026"}
    response = client.post(reverse("accounts:login"), {**data, "next": "/procedures/"})
    assert response.url == "/procedures/"
    client.logout()
    response = client.post(reverse("accounts:login"), {**data, "next": "https://evil.example.com/"})
    assert response.url == reverse("dossiers:list")


def test_profile_shows_roles(client):
    agency = AgencyFactory(code="000.01.15.H26", name="UBND phường Trần Phú")
    official = make_official(role=Role.RECEIVER, agency=agency)
    client.force_login(official)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "UBND phường Trần Phú" in content
    assert str(Role.RECEIVER.label) in content


def test_outbox_is_404_outside_demo_mode(client, settings):
    settings.DEMO_MODE = False
    assert client.get(reverse("accounts:outbox")).status_code == 404
    client.force_login(make_official(role=Role.TRAINER))
    assert client.get(reverse("accounts:outbox")).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "citizen", "receiver", "processor", "approver", "leader"])
def test_outbox_is_403_to_all_but_trainers_and_admins(client, settings, who):
    settings.DEMO_MODE = True
    message_send(channel="sms", recipient="0912000001", body="Mã OTP của bạn là 123456")
    if who == "citizen":
        client.force_login(CitizenFactory())
    elif who != "anonymous":
        client.force_login(make_official(role=who))
    response = client.get(reverse("accounts:outbox"))
    assert response.status_code == 403
    assert "123456" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_outbox_opens_to_trainers_and_admins(client, settings, role):
    settings.DEMO_MODE = True
    message_send(channel="sms", recipient="0912000001", body="Mã OTP của bạn là 123456")
    client.force_login(make_official(role=role))
    response = client.get(reverse("accounts:outbox"))
    assert response.status_code == 200
    assert "123456" in response.content.decode()


def test_verify_page_links_the_outbox_only_for_those_who_may_read_it(client, settings):
    settings.DEMO_MODE = True
    html = client.get(reverse("accounts:verify_phone")).content.decode()
    assert "Người hướng dẫn đọc mã OTP" in html
    assert reverse("accounts:outbox") not in html
    client.force_login(make_official(role=Role.TRAINER))
    assert reverse("accounts:outbox") in client.get(reverse("accounts:verify_phone")).content.decode()
    settings.DEMO_MODE = False
    assert reverse("accounts:outbox") not in client.get(reverse("accounts:verify_phone")).content.decode()


def test_outbox_lists_newest_first_filters_and_is_bounded(client, settings, django_assert_max_num_queries):
    settings.DEMO_MODE = True
    client.force_login(make_official(role=Role.TRAINER))
    for n in range(30):
        message_send(channel="sms", recipient="0912000001", body=f"Tin số {n:02d}")
    message_send(channel="email", recipient="a@example.com", body="Thư khác", subject="Chủ đề")
    with django_assert_max_num_queries(7):
        response = client.get(reverse("accounts:outbox"))
    content = response.content.decode()
    assert content.index("Thư khác") < content.index("Tin số 29")
    assert "Tin số 05" not in content  # on page 2
    with django_assert_max_num_queries(7):
        response = client.get(reverse("accounts:outbox"), {"recipient": "+84 912 000 001", "page": 2})
    content = response.content.decode()
    assert "Tin số 05" in content
    assert "Thư khác" not in content
