"""Citizen pages: my dossiers, the submission wizard, a dossier's page, notices, the public lookup."""

from django.urls import path

from dossiers.views import citizen

app_name = "dossiers"

urlpatterns = [
    path("", citizen.dossier_list, name="list"),
    path("new/<str:procedure_code>/", citizen.dossier_new, name="new"),
    path("lookup/", citizen.dossier_lookup, name="lookup"),
    path("notices/", citizen.notice_list, name="notices"),
    path("<int:dossier_id>/", citizen.dossier_detail, name="detail"),
    path("<int:dossier_id>/edit/", citizen.dossier_edit, name="edit"),
    path("<int:dossier_id>/edit/<slug:step>/", citizen.dossier_edit, name="edit-step"),
    path("<int:dossier_id>/attachments/", citizen.attachment_upload, name="attachment-upload"),
    path("<int:dossier_id>/attachments/reuse/", citizen.attachment_reuse_view, name="attachment-reuse"),
    path("<int:dossier_id>/submit/", citizen.dossier_submit, name="submit"),
    path("<int:dossier_id>/supplement/", citizen.dossier_supplement, name="supplement"),
    path("<int:dossier_id>/withdraw/", citizen.dossier_withdraw, name="withdraw"),
    path("<int:dossier_id>/rating/", citizen.dossier_rate, name="rate"),
    path("<int:dossier_id>/receipt/", citizen.dossier_receipt, name="receipt"),
]
