"""The address a request really comes from: the one answer for throttles, login lockouts and logs.

X-Forwarded-For is written by the client until it reaches our own proxies; each proxy appends the
address it saw. Only the entries appended by the TRUSTED_PROXY_COUNT proxies in front of the portal
can be believed, so the N-th entry from the right is the client and anything left of it may be forged.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR with no trusted proxy; else the N-th X-Forwarded-For entry from the right.

    A header shorter than N means the request skipped the outer proxies: every entry it has was
    still written by a trusted one, so the leftmost is taken (DRF's NUM_PROXIES does the same).
    A malformed entry falls back to REMOTE_ADDR, so no client-chosen text becomes a counter's key.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    trusted_proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted_proxies <= 0 or not forwarded.strip():
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(trusted_proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
