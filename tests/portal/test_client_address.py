import pytest
from django.test import RequestFactory

from portal.client_address import client_address


def _request(forwarded: str | None = None, remote: str = "203.0.113.9"):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "203.0.113.9"),
        (0, "198.51.100.7", "203.0.113.9"),  # no proxy of ours: the header is the client's own words
        (1, None, "203.0.113.9"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged left part is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # the outer proxy was skipped: the entry is still ours
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "6.6.6.6, not-an-address", "203.0.113.9"),  # never a client-chosen text as a key
        (1, "  ", "203.0.113.9"),
    ],
)
def test_client_address_trusts_only_the_configured_hops(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_address(_request(forwarded)) == expected
