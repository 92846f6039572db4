"""Citizen pages: my dossiers, the submission wizard, a dossier's page, notices, the public lookup."""

from django.urls import path

from dossiers.views.citizen import attachments, documents, dossier, lookup, my_dossiers, notices, start, wizard
from dossiers.views.office import downloads

app_name = "dossiers"

urlpatterns = [
    path("", my_dossiers.dossier_list, name="list"),
    path("new/<str:procedure_code>/", start.dossier_new, name="new"),
    path("lookup/", lookup.dossier_lookup, name="lookup"),
    path("notices/", notices.notice_list, name="notices"),
    path("documents/", documents.document_store, name="documents"),
    path("<int:dossier_id>/", dossier.dossier_detail, name="detail"),
    path("<int:dossier_id>/edit/", wizard.dossier_edit, name="edit"),
    path("<int:dossier_id>/edit/<slug:step>/", wizard.dossier_edit, name="edit-step"),
    path("<int:dossier_id>/attachments/", attachments.attachment_upload, name="attachment-upload"),
    path("<int:dossier_id>/attachments/reuse/", attachments.attachment_reuse_view, name="attachment-reuse"),
    path(
        "<int:dossier_id>/attachments/from-store/", documents.attachment_from_store_view, name="attachment-from-store"
    ),
    path("<int:dossier_id>/submit/", wizard.dossier_submit, name="submit"),
    path("<int:dossier_id>/supplement/", dossier.dossier_supplement, name="supplement"),
    path("<int:dossier_id>/withdraw/", dossier.dossier_withdraw, name="withdraw"),
    path("<int:dossier_id>/rating/", dossier.dossier_rate, name="rate"),
    path("<int:dossier_id>/forms/<str:number>/", downloads.dossier_form, {"back": "dossiers:detail"}, name="form"),
    # The receipt was served here before it became form 01.
    path("<int:dossier_id>/receipt/", downloads.form_redirect(downloads.RECEIPT, "dossiers:form"), name="receipt"),
]
