"""The courier's notice signature (portal.webhooks' scheme), keyed by POSTAL_WEBHOOK_SECRET."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.webhooks import SignatureError
from portal.webhooks import sign as sign_with
from portal.webhooks import verify as verify_with

__all__ = ["SignatureError", "sign", "verify", "webhook_secret"]


def webhook_secret() -> bytes:
    secret = settings.POSTAL_WEBHOOK_SECRET
    if not secret:
        raise ImproperlyConfigured("POSTAL_WEBHOOK_SECRET must be set to sign or verify courier notices.")
    return secret.encode()


def sign(body: bytes, *, timestamp: int | None = None) -> str:
    return sign_with(body, secret=webhook_secret(), timestamp=timestamp)


def verify(body: bytes, header: str) -> None:
    verify_with(body, header, secret=webhook_secret())
