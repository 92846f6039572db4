"""Reads of the citizen's document store (kho dữ liệu điện tử), and the rule of which entry fits which paper.

The store itself is written by dossiers.services.document_store (on completion) and taken from by
dossiers.services.attachments.attachment_from_store; the reuse counts feed the Decision 766 index.
"""

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.constants import StoredDocumentKind
from dossiers.models import Attachment, Dossier, StoredDocument
from dossiers.uploads import normalize_types
from portal.errors import NotFoundError
from procedures.models import RequiredDocument

ERR_NOT_FOUND = gettext_noop("Không tìm thấy giấy tờ này trong kho dữ liệu điện tử của bạn.")
FITTING_PER_DOCUMENT = 20


def stored_document_fits(stored: StoredDocument, document: RequiredDocument) -> bool:
    """An entry fits a paper when the paper accepts its file type and it is that paper (the same key,
    which procedures share for the same paper: giay-to-tuy-than, giay-to-cu-tru...) or a result the
    portal issued (an earlier result is often a paper of the next procedure)."""
    if stored.content_type not in normalize_types(document.accepted_types):
        return False
    return stored.kind == StoredDocumentKind.E_RESULT or stored.document_key == document.key


def stored_documents_of(*, user) -> QuerySet:
    """The caller's store, newest first, with the dossier each entry came from (for lists)."""
    return (
        StoredDocument.objects.filter(owner=user)
        .select_related("dossier", "dossier__procedure", "dossier__e_result")
        .annotate(reuse_count=Count("reuses"))
        .order_by("-created_at", "-id")
    )


def stored_document_of(*, user, stored_document_id: int) -> StoredDocument:
    stored = None
    if user.is_authenticated:
        stored = StoredDocument.objects.filter(pk=stored_document_id, owner=user).select_related("dossier").first()
    if stored is None:
        raise NotFoundError(_(ERR_NOT_FOUND))
    return stored


def stored_documents_fitting(*, dossier: Dossier) -> dict[str, list[StoredDocument]]:
    """For each paper of the dossier's procedure, the applicant's entries that fit it (one query)."""
    documents = list(dossier.procedure.required_documents.all())
    keys = [document.key for document in documents]
    entries = list(
        StoredDocument.objects.filter(owner_id=dossier.applicant_id)
        .filter(Q(kind=StoredDocumentKind.E_RESULT) | Q(document_key__in=keys))
        .exclude(dossier_id=dossier.pk)
        .select_related("dossier")
        .order_by("-created_at", "-id")[:200]
    )
    return {
        document.key: [entry for entry in entries if stored_document_fits(entry, document)][:FITTING_PER_DOCUMENT]
        for document in documents
    }


def document_reuse_counts(
    *, start: datetime, end: datetime, agency_ids=None, procedure_ids=None
) -> dict[int, dict[str, int]]:
    """Reuse of digitised data per agency, over the dossiers received in [start, end): how many were
    received, how many of them took at least one paper from the document store, and how many papers
    they took in all (only those still in the dossier, not replaced by an upload). One query."""
    kept = Attachment.objects.filter(dossier=OuterRef("pk"), superseded_at__isnull=True, reused_from__isnull=False)
    received = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if agency_ids is not None:
        received = received.filter(agency_id__in=agency_ids)
    if procedure_ids is not None:
        received = received.filter(procedure_id__in=procedure_ids)
    rows = (
        received.order_by()
        .values("agency_id")
        .annotate(
            received=Count("pk", distinct=True),
            reusing=Count("pk", filter=Q(Exists(kept)), distinct=True),
            reused_papers=Count(
                "attachments",
                filter=Q(attachments__superseded_at__isnull=True, attachments__reused_from__isnull=False),
            ),
        )
    )
    figures = ("received", "reusing", "reused_papers")
    return {row["agency_id"]: {name: row[name] for name in figures} for row in rows}
