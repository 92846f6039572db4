import re

import pytest
from django.core.cache import cache

from portal.notifications.models import OutboundMessage

OTP_RE = re.compile(r"\b(\d{6})\b")
PASSWORD = "Xin-chao@2026"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF throttles count in the cache, which outlives a test: start each test at zero.
    cache.clear()
    yield
    cache.clear()


def latest_otp(phone: str) -> str:
    body = OutboundMessage.objects.filter(recipient=phone).latest("created_at", "id").body
    return OTP_RE.search(body).group(1)


@pytest.fixture
def register_data():
    return {
        "full_name": "Nguyễn Thị Hoa",
        "phone": "0987654321",
        "national_id": "030195001234",
        "password": PASSWORD,
        "email": "hoa@example.com",
    }
