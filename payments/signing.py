"""The gateway's notice signature: `X-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.

Verified over the raw body bytes, before any parsing, so that a re-serialised JSON can never
pass for the signed one.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.constants import SIGNATURE_TOLERANCE_SECONDS


class SignatureError(Exception):
    pass


def gateway_secret() -> bytes:
    secret = settings.PAYMENT_GATEWAY_SECRET
    if not secret:
        raise ImproperlyConfigured("PAYMENT_GATEWAY_SECRET must be set to sign or verify gateway notices.")
    return secret.encode()


def _digest(timestamp: int, body: bytes) -> str:
    return hmac.new(gateway_secret(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_digest(timestamp, body)}"


def parse_header(header: str) -> tuple[int, list[str]]:
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("malformed")
    return timestamp, signatures


def verify(body: bytes, header: str, *, now: float | None = None) -> None:
    """Raise SignatureError unless `header` signs exactly these bytes within the tolerance."""
    timestamp, signatures = parse_header(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        raise SignatureError("stale")
    expected = _digest(timestamp, body)
    # Several v1 values allow a secret rotation: any one matching is enough.
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("mismatch")
