"""Login lockout (django-axes): failures are counted per account and per client address in the database.

An account is counted under one name however its owner's phone or CCCD is spelled, so cycling
spellings buys no extra guesses; a successful login clears that account's failures only, so signing
in to one's own account does not wipe the failures an address piled up against someone else's.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.selectors import user_find_by_login
from portal.errors import TooManyRequestsError

LOGIN_LOCKED = _("Đăng nhập tạm bị khoá vì mật khẩu bị nhập sai quá nhiều lần.")
_IDENTITY_MEMO = "_login_identity_memo"


def login_identity(request, credentials: dict | None = None) -> str | None:
    """The name failures are counted under: the account's phone when the login names one, else the input."""
    typed = (credentials or {}).get("username")
    if typed is None:
        submitted = getattr(request, "data", None) or request.POST
        typed = submitted.get("username") if hasattr(submitted, "get") else None
    if typed is None:
        return None
    typed = str(typed)
    # Axes asks several times per attempt: look the account up once per request.
    memo = getattr(request, _IDENTITY_MEMO, None)
    if memo is None:
        memo = {}
        setattr(request, _IDENTITY_MEMO, memo)
    if typed not in memo:
        user = user_find_by_login(username=typed)
        memo[typed] = user.phone if user else typed.strip()[:255]
    return memo[typed]


class AccountResetDatabaseHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On success forget the account's failures, not every failure counted against the address."""
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count

    def locked_until(self, request, credentials: dict | None = None):
        """When the last lockout covering this request ends: the newest failure of each bucket over the limit,
        plus the cool-off (older failures in the bucket expire sooner, so the lock never outlasts it)."""
        cool_off = get_cool_off(request) or timedelta(0)
        limit = get_failure_limit(request, credentials)
        ends = []
        for attempts in self.get_user_attempts(request, credentials):
            totals = attempts.aggregate(failures=Sum("failures_since_start"), newest=Max("attempt_time"))
            if (totals["failures"] or 0) >= limit:
                ends.append(totals["newest"] + cool_off)
        return max(ends, default=timezone.now() + cool_off)


def login_locked_error(request, *, username: str) -> TooManyRequestsError:
    """The refusal a locked-out client sees, saying when to try again."""
    until = AxesProxyHandler.get_implementation().locked_until(request, {"username": username})
    seconds = (until - timezone.now()).total_seconds()
    return TooManyRequestsError.retry_later(LOGIN_LOCKED, seconds=seconds, code="login_locked")


def login_is_locked(request) -> bool:
    """Whether the authenticate() just run on this request was refused (or ended) by a lockout."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AxesMiddleware's answer to a locked-out login: the portal's login views already answered 429 with
    the form or JSON, so that answer stays; any other login path (the admin's) gets the message as text."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    error = login_locked_error(request, username=get_client_username(request, credentials))
    response = HttpResponse(error.message, status=error.status_code, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(error.retry_after)
    return response
