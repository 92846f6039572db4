"""Back-office pages for one-stop counter officials: the agency queue, a dossier's page, counter intake."""

from django.urls import path

from dossiers.views import office

app_name = "office"

urlpatterns = [
    path("", office.queue, name="queue"),
    path("dossiers/<int:dossier_id>/", office.dossier_detail, name="detail"),
    path("dossiers/<int:dossier_id>/receipt/", office.dossier_receipt, name="receipt"),
    # Also the applicant's link: the view lets the dossier's applicant and its officials through.
    path("dossiers/<int:dossier_id>/apology-slip/", office.apology_slip, name="apology_slip"),
    path("counter/new/", office.counter_new, name="counter_new"),
]
