"""The portal's URLs and `/bench/bare/`: a Django JSON view with no database, through every middleware."""

from django.http import JsonResponse
from django.urls import include, path


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("portal.urls")),
]

handler400 = "portal.api.views.bad_request"
handler404 = "portal.api.views.page_not_found"
handler500 = "portal.api.views.server_error"
