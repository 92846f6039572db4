"""Request budgets count per real client address: a forged X-Forwarded-For buys nothing."""

import re
import socket

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from portal.cache import DegradingRedisCache
from portal.throttling import TOO_MANY_REQUESTS
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

LOGIN_API = "/api/v1/auth/login/"
REGISTER_API = "/api/v1/auth/register/"
LOOKUP_API = "/api/v1/lookup/"
LIMIT = 3
ATTEMPTS = 40


@pytest.fixture(autouse=True)
def low_rates(monkeypatch, settings):
    """Small budgets, and a login lockout out of the way, so each test sees the throttle alone."""
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "auth": f"{LIMIT}/min", "register": f"{LIMIT}/min"}
    rates["lookup"] = f"{LIMIT}/min"
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    settings.AXES_FAILURE_LIMIT = 1000
    cache.clear()
    yield
    cache.clear()


def forged(number: int) -> dict:
    return {"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"}


def assert_limited_after_budget(statuses: list[int]) -> None:
    assert 429 not in statuses[:LIMIT], statuses
    assert set(statuses[LIMIT:]) == {429}, statuses


def test_api_login_budget_ignores_a_forged_forwarded_header(api_client):
    wrong = {"username": "0901234567", "password": "sai"}
    statuses = [api_client.post(LOGIN_API, wrong, format="json", **forged(n)).status_code for n in range(ATTEMPTS)]

    assert_limited_after_budget(statuses)


def test_api_registration_budget_ignores_a_forged_forwarded_header(api_client):
    statuses = [api_client.post(REGISTER_API, {}, format="json", **forged(n)).status_code for n in range(ATTEMPTS)]

    assert_limited_after_budget(statuses)


def test_api_lookup_budget_ignores_a_forged_forwarded_header(api_client):
    query = {"code": "X", "id_last4": "1234"}
    statuses = [api_client.get(LOOKUP_API, query, **forged(n)).status_code for n in range(ATTEMPTS)]

    assert_limited_after_budget(statuses)


def test_lookup_page_budget_ignores_a_forged_forwarded_header(client):
    data = {"code": "X", "id_last4": "1234"}
    statuses = [client.post(reverse("dossiers:lookup"), data, **forged(n)).status_code for n in range(ATTEMPTS)]

    assert_limited_after_budget(statuses)


def test_login_page_has_the_api_budget_and_ignores_a_forged_header(client, api_client):
    form = {"username": "0901234567", "password": "sai"}
    statuses = [client.post(reverse("accounts:login"), form, **forged(n)).status_code for n in range(ATTEMPTS)]
    api = api_client.post(LOGIN_API, form, format="json")

    assert_limited_after_budget(statuses)
    assert api.status_code == 429  # the page and the API draw on one budget per client


def test_registration_page_has_the_api_budget_and_ignores_a_forged_header(client, api_client):
    def form(number: int) -> dict:
        return {
            "account_type": "citizen",
            "full_name": "Lê Thị Mai",
            "phone": f"0977{number:06d}",
            "national_id": f"030196{number:06d}",
            "password": "Xin-chao@2026",
            "password_confirm": "Xin-chao@2026",
        }

    statuses = [client.post(reverse("accounts:register"), form(n), **forged(n)).status_code for n in range(ATTEMPTS)]
    api = api_client.post(REGISTER_API, {}, format="json")

    assert statuses[:LIMIT] == [302] * LIMIT
    assert set(statuses[LIMIT:]) == {429}
    assert api.status_code == 429


def test_a_page_over_budget_shows_the_form_error_with_429_and_when_to_retry(client):
    form = {"username": "0901234567", "password": "sai"}
    for _ in range(LIMIT):
        client.post(reverse("accounts:login"), form)

    response = client.post(reverse("accounts:login"), form)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.content.decode()
    assert str(TOO_MANY_REQUESTS) in body
    assert re.search(r"Vui lòng thử lại sau 1 phút \(lúc \d\d:\d\d\)\.", body)


def test_an_api_over_budget_answers_in_the_project_error_shape(api_client):
    for _ in range(LIMIT):
        api_client.post(REGISTER_API, {}, format="json")

    response = api_client.post(REGISTER_API, {}, format="json")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["code"] == "too_many_requests"
    assert body["detail"].startswith(str(TOO_MANY_REQUESTS))
    assert re.search(r"\(lúc \d\d:\d\d\)\.$", body["detail"])


def test_behind_one_trusted_proxy_each_real_hop_has_its_own_budget(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    wrong = {"username": "0901234567", "password": "sai"}

    def login(forwarded: str) -> int:
        return api_client.post(LOGIN_API, wrong, format="json", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # The client forges the left part; the proxy appends the address it saw: only that one counts.
    first_hop = [login(f"6.6.6.{n}, 198.51.100.1") for n in range(LIMIT + 1)]
    second_hop = [login(f"6.6.6.{n}, 198.51.100.2") for n in range(LIMIT + 1)]

    assert first_hop == [400] * LIMIT + [429]
    assert second_hop == [400] * LIMIT + [429]


def test_an_unreachable_cache_lets_requests_through(api_client, settings, caplog, monkeypatch):
    monkeypatch.setattr(DegradingRedisCache, "_last_warning_at", float("-inf"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]  # closed again at once: nothing listens there
    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.DegradingRedisCache", "LOCATION": f"redis://127.0.0.1:{dead_port}/0"}
    }
    citizen = CitizenFactory()

    wrong = [
        api_client.post(LOGIN_API, {"username": citizen.phone, "password": "sai"}, format="json").status_code
        for _ in range(LIMIT + 1)
    ]
    right = api_client.post(LOGIN_API, {"username": citizen.phone, "password": "Matkhau@2026"}, format="json")
    lookup = api_client.get(LOOKUP_API, {"code": "X", "id_last4": "1234"})

    assert wrong == [400] * (LIMIT + 1)  # not counted while the cache is away, and no 500
    assert right.status_code == 200
    assert lookup.status_code == 404
    assert "Cache unreachable" in caplog.text
