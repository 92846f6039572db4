"""What the citizen's pages share: the page frame, the caller's own dossier, safe return links,
the rows of required documents."""

from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from dossiers import selectors, store, supplements
from dossiers.forms.citizen import accept_attribute, accepted_labels
from dossiers.models import Dossier
from portal.errors import NotFoundError
from procedures.models import default_document_types

PAGE_SIZE = 20
UPLOAD_ERRORS = "dossiers_upload_errors"


def render_page(request, template: str, context: dict):
    return render(request, f"dossiers/citizen/{template}", {"nav_section": "dossiers", **context})


def own_dossier(request, dossier_id: int) -> Dossier:
    """The caller's own dossier with its history; officials use the back office, everyone else gets 404."""
    try:
        dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if dossier.applicant_id != request.user.pk:
        raise Http404
    return dossier


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def document_rows(request, dossier: Dossier, *, with_reuse: bool) -> list[dict]:
    """One row per required document: its current file, the upload input, earlier files to reuse and the
    entries of the applicant's document store that fit it."""
    current = {attachment.document_id: attachment for attachment in dossier.attachments.all()}
    reusable = selectors.reusable_attachments(dossier=dossier) if with_reuse else {}
    from_store = store.stored_documents_fitting(dossier=dossier) if with_reuse else {}
    errors = request.session.pop(UPLOAD_ERRORS, {})
    return [
        {
            "document": document,
            "attachment": current.get(document.pk),
            "accept": accept_attribute(document.accepted_types),
            "accepted_labels": accepted_labels(document.accepted_types),
            "reusable": reusable.get(document.key, []),
            "from_store": from_store.get(document.key, []),
            "error": errors.get(document.key, ""),
        }
        for document in dossier.procedure.required_documents.all()
    ]


def supplement_rows(request, dossier: Dossier) -> list[dict]:
    """The rows of exactly the papers the open supplement request names, each with the file sent for it
    since the request; empty when the request named none (the page then offers every paper)."""
    papers = supplements.papers_with_files(dossier)
    if not papers:
        return []
    documents = {document.key: document for document in dossier.procedure.required_documents.all()}
    reusable = selectors.reusable_attachments(dossier=dossier)
    errors = request.session.pop(UPLOAD_ERRORS, {})
    rows = []
    for paper, attachment in papers:
        document = documents.get(paper["key"])
        types = document.accepted_types if document else default_document_types()
        rows.append(
            {
                "document": {"key": paper["key"], "name": paper["name"], "mandatory": True},
                "attachment": attachment,
                "accept": accept_attribute(types),
                "accepted_labels": accepted_labels(types),
                "reusable": reusable.get(paper["key"], []),
                "error": errors.get(paper["key"], ""),
            }
        )
    return rows
