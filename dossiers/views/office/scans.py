"""Digitisation at the counter: the official scans each paper of a paper dossier into its slot, and
marks a scan digitised once it is checked against the paper, from registration until the dossier closes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from dossiers.forms.office import ScanForm
from dossiers.services.attachments import attachment_add, attachment_mark_digitised, dossier_for_upload
from dossiers.uploads import SizeLimitedUploadHandler
from dossiers.views.office.shared import Desk, office_required
from portal.errors import NotFoundError, ServiceError


def _back(dossier_id: int):
    return redirect(reverse("office:detail", kwargs={"dossier_id": dossier_id}) + "#so-hoa")


@csrf_exempt
@require_POST
@office_required
def scan_add(request, desk: Desk, dossier_id: int):
    # The size-limited handler must be in place before anything reads the body, CSRF included.
    request.upload_handlers = [SizeLimitedUploadHandler(request)]
    return _scan_add(request, dossier_id)


@csrf_protect
def _scan_add(request, dossier_id: int):
    try:
        dossier = dossier_for_upload(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    form = ScanForm(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(dossier_id)
    try:
        attachment = attachment_add(
            dossier=dossier,
            user=request.user,
            document_key=form.cleaned_data["document"],
            uploaded_file=form.cleaned_data["file"],
            digitised=form.cleaned_data["digitised"],
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thêm bản quét “%(name)s”.") % {"name": attachment.paper_name})
    return _back(dossier_id)


@require_POST
@office_required
def scan_mark_digitised(request, desk: Desk, dossier_id: int, attachment_id: int):
    try:
        attachment = attachment_mark_digitised(dossier_id=dossier_id, attachment_id=attachment_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đánh dấu “%(name)s” là đã số hóa.") % {"name": attachment.paper_name})
    return _back(dossier_id)
