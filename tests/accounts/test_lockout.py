"""Repeated wrong passwords lock the account and the address; the locked-out user is told until when."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.accounts.lockout import LOGIN_LOCKED
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

LOGIN_API = "/api/v1/auth/login/"
RIGHT = "Matkhau@2026"
RETRY_AT = re.compile(r"Vui lòng thử lại sau (\d+) phút \(lúc (\d\d:\d\d)\)\.")


@pytest.fixture
def citizen(db):
    return CitizenFactory()


def api_login(api_client, username: str, password: str, address: str = "203.0.113.1"):
    return api_client.post(LOGIN_API, {"username": username, "password": password}, format="json", REMOTE_ADDR=address)


def page_login(client, username: str, password: str, address: str = "203.0.113.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def assert_locked_until_cool_off(response, detail: str) -> None:
    assert response.status_code == 429
    assert str(LOGIN_LOCKED) in detail
    cool_off = settings.AXES_COOLOFF_TIME.total_seconds()
    assert cool_off - 60 < int(response["Retry-After"]) <= cool_off
    minutes, clock = RETRY_AT.search(detail).groups()
    assert int(minutes) == settings.AXES_COOLOFF_TIME.total_seconds() // 60
    assert clock == timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME).strftime("%H:%M")


def test_api_locks_the_account_and_refuses_even_the_right_password(api_client, citizen):
    limit = settings.AXES_FAILURE_LIMIT
    wrong = [api_login(api_client, citizen.phone, "sai").status_code for _ in range(limit)]

    right = api_login(api_client, citizen.phone, RIGHT)

    assert wrong == [400] * (limit - 1) + [429]  # the failure that reaches the limit already says so
    assert right.json()["code"] == "login_locked"
    assert_locked_until_cool_off(right, right.json()["detail"])


def test_web_login_locks_the_account_and_shows_when_to_retry(client, citizen):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page_login(client, citizen.phone, "sai")

    right = page_login(client, citizen.phone, RIGHT)

    assert_locked_until_cool_off(right, right.content.decode())
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_whatever_the_address_or_spelling(api_client, citizen):
    spellings = [citizen.phone, "+84" + citizen.phone[1:], citizen.national_id]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        api_login(api_client, spellings[attempt % 3], "sai", address=f"198.51.100.{attempt}")

    right = api_login(api_client, citizen.national_id, RIGHT, address="192.0.2.50")

    assert right.status_code == 429


def test_the_lock_is_per_address_too(api_client, citizen):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        api_login(api_client, f"09000000{attempt:02d}", "sai", address="198.51.100.7")

    from_there = api_login(api_client, citizen.phone, RIGHT, address="198.51.100.7")
    elsewhere = api_login(api_client, citizen.phone, RIGHT, address="198.51.100.8")

    assert from_there.status_code == 429
    assert elsewhere.status_code == 200


def test_the_lock_lifts_after_the_cool_off_and_failures_while_locked_do_not_extend_it(api_client, citizen):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            api_login(api_client, citizen.phone, "sai")
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME - timedelta(minutes=1), tick=False):
        still_locked = api_login(api_client, citizen.phone, "sai")
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(seconds=1), tick=False):
        after = api_login(api_client, citizen.phone, RIGHT)

    assert still_locked.status_code == 429
    assert int(still_locked["Retry-After"]) <= 60
    assert after.status_code == 200


def test_success_resets_the_account_failures(api_client, citizen):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        api_login(api_client, citizen.phone, "sai")
    assert api_login(api_client, citizen.phone, RIGHT).status_code == 200

    again = [api_login(api_client, citizen.phone, "sai").status_code for _ in range(limit - 1)]

    assert again == [400] * (limit - 1)


def test_signing_in_to_ones_own_account_does_not_wipe_failures_against_another(api_client, citizen):
    attacker = CitizenFactory()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        api_login(api_client, citizen.phone, "sai", address="198.51.100.9")
    assert api_login(api_client, attacker.phone, RIGHT, address="198.51.100.9").status_code == 200

    one_more = api_login(api_client, citizen.phone, "sai", address="192.0.2.1")

    assert one_more.status_code == 429


def test_an_unknown_account_is_locked_like_a_real_one(api_client):
    statuses = [api_login(api_client, "0912345678", "sai").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert statuses[-1] == 429  # the answer does not tell a real account from an unknown one
