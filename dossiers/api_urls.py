from django.urls import path

from dossiers.api import documents, paperwork, views
from dossiers.files import AttachmentCreateApi, AttachmentDigitisedApi

app_name = "dossiers-api"

urlpatterns = [
    path("dossiers/", views.DossierListCreateApi.as_view(), name="list"),
    path("dossiers/<int:dossier_id>/", views.DossierDetailApi.as_view(), name="detail"),
    path("dossiers/<int:dossier_id>/attachments/", AttachmentCreateApi.as_view(), name="attachments"),
    path(
        "dossiers/<int:dossier_id>/attachments/from-store/",
        documents.AttachmentFromStoreApi.as_view(),
        name="attachments-from-store",
    ),
    path("me/documents/", documents.MyDocumentsApi.as_view(), name="my-documents"),
    path("e-results/verify/", documents.EResultVerifyApi.as_view(), name="e-result-verify"),
    path(
        "dossiers/<int:dossier_id>/attachments/<int:attachment_id>/digitised/",
        AttachmentDigitisedApi.as_view(),
        name="attachment-digitised",
    ),
    path("dossiers/<int:dossier_id>/submit/", views.DossierSubmitApi.as_view(), name="submit"),
    path("dossiers/<int:dossier_id>/supplement/", views.DossierSupplementApi.as_view(), name="supplement"),
    path("dossiers/<int:dossier_id>/withdraw/", views.DossierWithdrawApi.as_view(), name="withdraw"),
    path("dossiers/<int:dossier_id>/receipt/", views.DossierReceiptApi.as_view(), name="receipt"),
    path("dossiers/<int:dossier_id>/forms/<str:form>/", paperwork.DossierFormApi.as_view(), name="form"),
    path("registers/", paperwork.RegisterApi.as_view(), name="register"),
    path("dossiers/<int:dossier_id>/rating/", views.DossierRatingApi.as_view(), name="rating"),
    path("dossiers/<int:dossier_id>/actions/<slug:action>/", views.DossierActionApi.as_view(), name="action"),
    path("queue/", views.QueueApi.as_view(), name="queue"),
    path("counter/dossiers/", views.CounterDossierCreateApi.as_view(), name="counter-create"),
    path("lookup/", views.LookupApi.as_view(), name="lookup"),
]
