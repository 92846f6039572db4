"""Adding a required document's file, uploaded or reused from an earlier dossier (wizard and supplement)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.services.attachments import attachment_add, attachment_reuse
from dossiers.uploads import SizeLimitedUploadHandler
from dossiers.views.citizen.shared import UPLOAD_ERRORS, own_dossier, safe_next
from dossiers.views.citizen.wizard import step_url
from portal.errors import ServiceError


@csrf_exempt
@login_required
def attachment_upload(request, dossier_id: int):
    # The size-limited handler must be in place before anything reads the body, CSRF included;
    # the CSRF check then runs in the inner view.
    request.upload_handlers = [SizeLimitedUploadHandler(request)]
    return _attachment_upload(request, dossier_id)


@csrf_protect
@require_POST
def _attachment_upload(request, dossier_id: int):
    dossier = own_dossier(request, dossier_id)
    key = request.POST.get("document", "")
    upload = request.FILES.get("file")
    if upload is None:
        return upload_failed(request, dossier, key, _("Hãy chọn một tệp để tải lên."))
    try:
        attachment = attachment_add(dossier=dossier, user=request.user, document_key=key, uploaded_file=upload)
    except ServiceError as exc:
        return upload_failed(request, dossier, key, exc.message)
    messages.success(
        request,
        _("Đã nhận tệp “%(name)s” cho “%(document)s”.")
        % {"name": attachment.original_name, "document": attachment.paper_name},
    )
    return redirect(back_to_files(request, dossier))


@login_required
@require_POST
def attachment_reuse_view(request, dossier_id: int):
    dossier = own_dossier(request, dossier_id)
    key = request.POST.get("document", "")
    source = request.POST.get("source_attachment", "")
    if not source.isdigit():
        return upload_failed(request, dossier, key, _("Hãy chọn một tệp đã nộp trước đây."))
    try:
        attachment = attachment_reuse(
            dossier=dossier, user=request.user, document_key=key, source_attachment_id=int(source)
        )
    except ServiceError as exc:
        return upload_failed(request, dossier, key, exc.message)
    messages.success(
        request,
        _("Đã dùng lại tệp “%(name)s” cho “%(document)s”.")
        % {"name": attachment.original_name, "document": attachment.paper_name},
    )
    return redirect(back_to_files(request, dossier))


def back_to_files(request, dossier: Dossier) -> str:
    default = (
        step_url(dossier, "attachments")
        if dossier.status == DossierStatus.DRAFT
        else reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})
    )
    return safe_next(request, default) + "#giay-to"


def upload_failed(request, dossier: Dossier, key: str, message: str):
    # Kept for the next page so the message sits beside the document it is about.
    request.session[UPLOAD_ERRORS] = {key: message}
    messages.error(request, _("Chưa nhận được tệp: %(reason)s") % {"reason": message})
    return redirect(back_to_files(request, dossier))
