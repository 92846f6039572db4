"""Back-office pages for one-stop counter officials: the agency queue, a dossier's page, counter intake."""

from django.urls import path

from dossiers.views.office import counter, dossier, downloads, queue

app_name = "office"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("dossiers/<int:dossier_id>/", dossier.dossier_detail, name="detail"),
    path("dossiers/<int:dossier_id>/receipt/", downloads.dossier_receipt, name="receipt"),
    # Also the applicant's link: the view lets the dossier's applicant and its officials through.
    path("dossiers/<int:dossier_id>/apology-slip/", downloads.apology_slip, name="apology_slip"),
    path("counter/new/", counter.counter_new, name="counter_new"),
]
