from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views

handler400 = "portal.api.views.bad_request"
handler404 = "portal.api.views.page_not_found"
handler500 = "portal.api.views.server_error"

api_v1 = [
    path("", include("portal.accounts.api_urls")),
    path("", include("procedures.api_urls")),
    path("", include("dossiers.api_urls")),
    path("", include("payments.api_urls")),
    path("", include("postal.api_urls")),
    path("", include("figures.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tour/", views.tour_toggle, name="tour_toggle"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.accounts.urls")),
    path("procedures/", include("procedures.urls")),
    path("dossiers/", include("dossiers.urls_citizen")),
    path("office/", include("dossiers.urls_office")),
    path("files/", include("dossiers.files_urls")),
    path("e-results/", include("dossiers.urls_eresults")),
    path("payments/", include("payments.urls")),
    path("postal/", include("postal.urls")),
    path("figures/", include("figures.urls")),
    # The trainer's console: every page answers 404 unless DEMO_MODE is on.
    path("trainer/", include("trainer.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file, so the docs run under CSP script-src 'self'.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

if apps.is_installed("payments.providers.mockpay"):
    # The simulated bank's own pages; a real gateway would be on another site.
    urlpatterns.append(path("payments/gateway/", include("payments.providers.mockpay.urls")))

if apps.is_installed("postal.providers.mockpost"):
    # The simulated post office's handheld; a real courier has its own devices.
    urlpatterns.append(path("postal/handheld/", include("postal.providers.mockpost.urls")))

if apps.is_installed("portal.accounts.providers.mockvneid"):
    # The simulated national identity provider (OpenID Connect); the real one is another site.
    urlpatterns.append(path("vneid/", include("portal.accounts.providers.mockvneid.urls")))
