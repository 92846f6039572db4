"""Back-office pages for one-stop counter officials: the agency queue, a dossier's page, counter intake."""

from django.urls import path

from dossiers.views.office import counter, dossier, downloads, queue, scans

app_name = "office"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("dossiers/<int:dossier_id>/", dossier.dossier_detail, name="detail"),
    # Also the applicant's links: the view lets the dossier's applicant and its officials through.
    path("dossiers/<int:dossier_id>/forms/<str:number>/", downloads.dossier_form, name="form"),
    # The receipt and the apology slip were served here before they became forms 01 and 04.
    path(
        "dossiers/<int:dossier_id>/receipt/", downloads.form_redirect(downloads.RECEIPT, "office:form"), name="receipt"
    ),
    path(
        "dossiers/<int:dossier_id>/apology-slip/",
        downloads.form_redirect(downloads.APOLOGY, "office:form"),
        name="apology_slip",
    ),
    path("dossiers/<int:dossier_id>/scans/", scans.scan_add, name="scan_add"),
    path(
        "dossiers/<int:dossier_id>/scans/<int:attachment_id>/digitised/",
        scans.scan_mark_digitised,
        name="scan_digitised",
    ),
    path("register/", downloads.agency_register, name="register"),
    path("counter/new/", counter.counter_new, name="counter_new"),
]
