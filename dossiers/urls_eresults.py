"""Public pages (no login) that check an e-result's signature; included by portal/urls.py under "e-results/"."""

from django.urls import path

from dossiers.views.citizen import eresults

app_name = "eresults"

urlpatterns = [
    path("verify/", eresults.eresult_verify, name="verify"),
    path("<uuid:token>/", eresults.eresult_verify_token, name="verify-token"),
]
