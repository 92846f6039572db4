"""The citizen's document store (kho dữ liệu điện tử): the page, and taking an entry into a dossier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import store
from dossiers.services.attachments import attachment_from_store
from dossiers.views.citizen.attachments import back_to_files, upload_failed
from dossiers.views.citizen.shared import PAGE_SIZE, own_dossier, render_page
from portal.errors import ServiceError


@login_required
def document_store(request):
    page = Paginator(store.stored_documents_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "documents.html", {"page": page, "nav_section": "documents"})


@login_required
@require_POST
def attachment_from_store_view(request, dossier_id: int):
    dossier = own_dossier(request, dossier_id)
    key = request.POST.get("document", "")
    stored_id = request.POST.get("stored_document", "")
    if not (stored_id.isascii() and stored_id.isdigit() and len(stored_id) <= 18):
        return upload_failed(request, dossier, key, _("Hãy chọn một giấy tờ trong kho dữ liệu điện tử."))
    try:
        attachment = attachment_from_store(
            dossier=dossier, user=request.user, document_key=key, stored_document_id=int(stored_id)
        )
    except ServiceError as exc:
        return upload_failed(request, dossier, key, exc.message)
    messages.success(
        request,
        _("Đã lấy “%(name)s” từ kho dữ liệu điện tử cho “%(document)s”.")
        % {"name": attachment.reused_from.name, "document": attachment.paper_name},
    )
    return redirect(back_to_files(request, dossier))
