"""What a signed-in person may open, read from the roles they hold: the site menu, the page each role
lands on after login and the demo outbox ask these predicates, so a link is shown only to whom it opens.

The pages keep their own checks (the queue its desk, the figures their scope); these predicates say the
same in one line each, and tests/portal/test_menu_crawl.py keeps them in step by opening every menu
link as every demo role.
"""

from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from portal.accounts.constants import AGENCY_ROLES, CITIZEN_ROLE, AccountKind, Role
from portal.accounts.models import StaffRole

# Where the trainer console lives when its app is installed (it answers 404 outside demo mode).
TRAINER_CONSOLE_PATH = "/trainer/"


def user_role_names(user) -> frozenset:
    """The user's roles by name (a citizen's or organisation's account: {"citizen"}); one query for officials."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if user.kind != AccountKind.OFFICIAL:
        return frozenset({CITIZEN_ROLE})
    # Kept on the request's user object: a page that already read the roles (the office desk) asks no more.
    if getattr(user, "_role_names", None) is None:
        user._role_names = frozenset(StaffRole.objects.filter(user=user).values_list("role", flat=True))
    return user._role_names


def _is_admin(user, roles: frozenset) -> bool:
    return bool(user.is_superuser or Role.ADMIN in roles)


def works_a_queue(roles: frozenset) -> bool:
    """A counter role at some agency: the office queue opens (dossiers/views/office/shared.py)."""
    return bool(roles & AGENCY_ROLES)


def may_see_figures(user, roles: frozenset) -> bool:
    """Officials of an agency and admins (figures/scope.py: figures_visible_roots)."""
    return works_a_queue(roles) or _is_admin(user, roles)


def may_read_outbox(user, roles: frozenset) -> bool:
    """The simulators' SMS and e-mails, OTP codes included: demo mode only, trainers and admins only."""
    return bool(settings.DEMO_MODE and user.is_authenticated and (Role.TRAINER in roles or _is_admin(user, roles)))


def trainer_console_url(roles: frozenset) -> str | None:
    """The trainer console, for trainers in demo mode when the app that serves it is installed."""
    if not settings.DEMO_MODE or Role.TRAINER not in roles:
        return None
    try:
        resolve(TRAINER_CONSOLE_PATH)
    except Resolver404:
        return None
    return TRAINER_CONSOLE_PATH


def landing_url(user, roles: frozenset) -> str:
    """Where the work of this person is: the first of their console, queue, figures, own dossiers.

    A trainer without the console (demo mode off, or the app absent) lands on the outbox in demo mode,
    else on the home page; someone holding several roles lands on the first that applies.
    """
    if console := trainer_console_url(roles):
        return console
    if works_a_queue(roles - {Role.LEADER}):
        return reverse("office:queue")
    if may_see_figures(user, roles):
        return reverse("figures:dashboard")
    if CITIZEN_ROLE in roles:
        return reverse("dossiers:list")
    if may_read_outbox(user, roles):
        return reverse("accounts:outbox")
    return reverse("home")
