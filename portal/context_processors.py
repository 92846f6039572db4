from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

import portal.clock as clock
from portal.accounts import access
from portal.accounts.constants import CITIZEN_ROLE, AccountKind
from trainer.access import TRAINER_SESSION_KEY


def site(request):
    # Error pages are rendered for requests that matched no URL, so there may be no resolver match.
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    nav_section = (match.namespace or match.url_name or "") if match else ""
    nav_view = match.view_name if match else ""
    session = getattr(request, "session", None)

    # The roles are read once, and only by a page that shows the menu (callables are called by templates).
    @cache
    def roles() -> frozenset:
        return access.user_role_names(user) if user is not None else frozenset()

    def menu() -> list[dict]:
        return menu_items(request, roles(), section=nav_section, view=nav_view)

    def can_read_outbox() -> bool:
        return user is not None and access.may_read_outbox(user, roles())

    return {
        "DEMO_MODE": settings.DEMO_MODE,
        # Demo mode only: the simulated time while it is not real time, and a trainer signed in as someone.
        "demo_clock_now": clock.now() if settings.DEMO_MODE and not clock.is_real_time() else None,
        "signed_in_by_trainer": bool(settings.DEMO_MODE and session is not None and session.get(TRAINER_SESSION_KEY)),
        "nav_section": nav_section,
        "nav_view": nav_view,
        # A field on the user row already loaded for the request: no extra query per page.
        "is_official": bool(user and user.is_authenticated and user.kind == AccountKind.OFFICIAL),
        "menu": menu,
        "can_read_outbox": can_read_outbox,
    }


def _item(url: str, label, current: bool) -> dict:
    return {"url": url, "label": label, "current": current}


def menu_items(request, roles: frozenset, *, section: str, view: str) -> list[dict]:
    """The main menu: the public pages, then each page the person's roles open (access.py decides)."""
    user = request.user
    items = [
        _item(reverse("home"), _("Trang chủ"), section == "home"),
        _item(reverse("procedures:catalog"), _("Thủ tục hành chính"), section == "procedures"),
        _item(reverse("dossiers:lookup"), _("Tra cứu hồ sơ"), view == "dossiers:lookup"),
    ]
    if not user.is_authenticated:
        return items
    if CITIZEN_ROLE in roles:
        own_pages = section == "dossiers" and view not in ("dossiers:lookup", "dossiers:documents")
        items.append(_item(reverse("dossiers:list"), _("Hồ sơ của tôi"), own_pages))
        items.append(_item(reverse("dossiers:documents"), _("Kho dữ liệu điện tử"), view == "dossiers:documents"))
    if access.works_a_queue(roles):
        items.append(_item(reverse("office:queue"), _("Hàng đợi hồ sơ"), section == "office"))
    if access.may_see_figures(user, roles):
        items.append(_item(reverse("figures:dashboard"), _("Số liệu thống kê"), section == "figures"))
    if console := access.trainer_console_url(roles):
        items.append(_item(console, _("Bàn điều khiển trình diễn"), request.path.startswith(console)))
    if access.may_read_outbox(user, roles):
        items.append(_item(reverse("accounts:outbox"), _("Hộp thư đi (SMS, thư)"), view == "accounts:outbox"))
    if user.is_staff:
        items.append(_item(reverse("admin:index"), _("Trang quản trị"), section == "admin"))
    return items
