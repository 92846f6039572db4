"""Per-client request budgets, one per DRF throttle scope, shared by the API views and the pages.

A page with no DRF view in front of it (the login and registration forms) spends the same budget,
under the same cache key, as the API endpoint doing the same thing: the page is no way around it.
"""

import logging
from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import ScopedRateThrottle

from portal.client_address import client_address
from portal.errors import TooManyRequestsError

logger = logging.getLogger(__name__)

TOO_MANY_REQUESTS = _("Bạn đã gửi quá nhiều yêu cầu.")


class ClientScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle counting per real client address, never per a header the client chose."""

    def get_ident(self, request):
        return client_address(request)


def too_many_requests(*, seconds: float) -> TooManyRequestsError:
    return TooManyRequestsError.retry_later(TOO_MANY_REQUESTS, seconds=seconds)


def page_throttle(request, *, scope: str) -> None:
    """Spend one request of `scope`'s per-client budget from a page; TooManyRequestsError once it is spent."""
    throttle = ClientScopedRateThrottle()
    if not throttle.allow_request(request, SimpleNamespace(throttle_scope=scope)):
        logger.warning("Page request over the %s budget from %s.", scope, client_address(request))
        raise too_many_requests(seconds=throttle.wait() or 1)
