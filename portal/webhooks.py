"""Signed server-to-server notices: `X-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.

One scheme for every simulator that calls the portal back (the payment gateway, the courier), each
with its own secret. Verified over the raw body bytes, before any parsing, so that a re-serialised
JSON can never pass for the signed one.
"""

import hashlib
import hmac
import time
import urllib.error
import urllib.request

# A notice signed further than this from now is stale: a replay of an old capture, or a wrong clock.
SIGNATURE_TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    """str() is the reason: "malformed", "stale" or "mismatch"."""


def _digest(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(body: bytes, *, secret: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


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


def verify(
    body: bytes,
    header: str,
    *,
    secret: bytes,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
) -> None:
    """Raise SignatureError unless `header` signs exactly these bytes within the tolerance."""
    timestamp, signatures = parse_header(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("stale")
    expected = _digest(secret, timestamp, body)
    # Several v1 values allow a secret rotation: any one matching is enough.
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("mismatch")


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx, or could not be reached: the sender keeps the notice and retries."""


def post_signed(url: str, body: bytes, signature: str, *, timeout: float = 10) -> None:
    """POST a signed JSON notice the way a provider calls the portal back."""
    if not url.startswith(("http://", "https://")):
        raise DeliveryFailed(f"not an HTTP URL: {url}")
    request = urllib.request.Request(  # noqa: S310 (checked just above)
        url, data=body, method="POST", headers={"Content-Type": "application/json", "X-Signature": signature}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the URL comes from settings)
            if not 200 <= response.status < 300:
                raise DeliveryFailed(f"HTTP {response.status}")
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(str(exc)) from exc
