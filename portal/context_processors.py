from django.conf import settings

from portal.accounts.constants import AccountKind


def site(request):
    # Error pages are rendered for requests that matched no URL, so there may be no resolver match.
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_section": (match.namespace or match.url_name or "") if match else "",
        "nav_view": match.view_name if match else "",
        # A field on the user row already loaded for the request: no extra query per page.
        "is_official": bool(user and user.is_authenticated and user.kind == AccountKind.OFFICIAL),
    }
