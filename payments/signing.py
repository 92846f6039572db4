"""The gateway's notice signature (portal.webhooks' scheme), keyed by PAYMENT_GATEWAY_SECRET."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.constants import SIGNATURE_TOLERANCE_SECONDS
from portal.webhooks import SignatureError, parse_header
from portal.webhooks import sign as sign_with
from portal.webhooks import verify as verify_with

__all__ = ["SignatureError", "gateway_secret", "parse_header", "sign", "verify"]


def gateway_secret() -> bytes:
    secret = settings.PAYMENT_GATEWAY_SECRET
    if not secret:
        raise ImproperlyConfigured("PAYMENT_GATEWAY_SECRET must be set to sign or verify gateway notices.")
    return secret.encode()


def sign(body: bytes, *, timestamp: int | None = None) -> str:
    return sign_with(body, secret=gateway_secret(), timestamp=timestamp)


def verify(body: bytes, header: str, *, now: float | None = None) -> None:
    """Raise SignatureError unless `header` signs exactly these bytes within the tolerance."""
    verify_with(body, header, secret=gateway_secret(), now=now, tolerance=SIGNATURE_TOLERANCE_SECONDS)
