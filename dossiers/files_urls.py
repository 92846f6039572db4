"""Private file downloads; included by portal/urls.py under "files/" (never under MEDIA_URL)."""

from django.urls import path

from dossiers import files

app_name = "dossier_files"

urlpatterns = [
    path("attachments/<int:attachment_id>/", files.AttachmentFileView.as_view(), name="attachment"),
    path(
        "attachments/<int:attachment_id>/thumbnail/",
        files.AttachmentThumbnailView.as_view(),
        name="attachment-thumbnail",
    ),
    path("dossiers/<int:dossier_id>/result/", files.ResultFileView.as_view(), name="result"),
    path("documents/<int:stored_document_id>/", files.StoredDocumentFileView.as_view(), name="stored-document"),
]
