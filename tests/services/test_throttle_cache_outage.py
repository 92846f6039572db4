"""Redis stopped while people sign in: throttles stop counting, logins and lookups still get their answer."""

import shutil

import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from portal.cache import DegradingRedisCache
from tests.factories import CitizenFactory
from tests.services.conftest import PrivateRedis

pytestmark = [pytest.mark.services(needs=("redis",)), pytest.mark.django_db]

LOGIN_API = "/api/v1/auth/login/"
LOOKUP_API = "/api/v1/lookup/"
LOOKUP = {"code": "X", "id_last4": "1234"}


@pytest.fixture
def cache_on_private_redis(settings, monkeypatch):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min", "lookup": "2/min"})
    monkeypatch.setattr(DegradingRedisCache, "_last_warning_at", float("-inf"))
    try:
        yield redis
    finally:
        if redis.process.poll() is None:
            redis.stop()


def test_login_and_lookup_answer_normally_while_the_cache_is_down(api_client, cache_on_private_redis, caplog):
    citizen = CitizenFactory()
    counted = [api_client.get(LOOKUP_API, LOOKUP).status_code for _ in range(3)]
    assert counted == [404, 404, 429]  # the budget is counted in Redis while it is up
    assert cache.get("throttle_lookup_127.0.0.1")

    cache_on_private_redis.stop()
    wrong = [
        api_client.post(LOGIN_API, {"username": citizen.phone, "password": "sai"}, format="json").status_code
        for _ in range(3)
    ]
    right = api_client.post(LOGIN_API, {"username": citizen.phone, "password": "Matkhau@2026"}, format="json")
    lookup = api_client.get(LOOKUP_API, LOOKUP)

    assert wrong == [400, 400, 400]
    assert right.status_code == 200
    assert "token" in right.json()
    assert lookup.status_code == 404  # allowed: the spent budget is out of reach, not a reason to fail
    assert "Cache unreachable" in caplog.text
