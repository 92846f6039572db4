from django.conf import settings

import portal.clock as clock
from portal.accounts.constants import AccountKind
from trainer.access import TRAINER_SESSION_KEY


def site(request):
    # Error pages are rendered for requests that matched no URL, so there may be no resolver match.
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        # Demo mode only: the simulated time while it is not real time, and a trainer signed in as someone.
        "demo_clock_now": clock.now() if settings.DEMO_MODE and not clock.is_real_time() else None,
        "signed_in_by_trainer": bool(settings.DEMO_MODE and session is not None and session.get(TRAINER_SESSION_KEY)),
        "nav_section": (match.namespace or match.url_name or "") if match else "",
        "nav_view": match.view_name if match else "",
        # A field on the user row already loaded for the request: no extra query per page.
        "is_official": bool(user and user.is_authenticated and user.kind == AccountKind.OFFICIAL),
    }
