from django.conf import settings


def site(request):
    # Error pages are rendered for requests that matched no URL, so there may be no resolver match.
    match = getattr(request, "resolver_match", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_section": (match.namespace or match.url_name or "") if match else "",
    }
