"""The citizen's document store (kho dữ liệu điện tử): what a completed dossier leaves the applicant.

When a dossier is completed (workflow ON_ENTERING), its e-result and every paper the agency accepted
with it are entered in the applicant's store. An entry points at the file the dossier keeps, never a
copy; a paper that was itself taken from the store is not entered twice. Taking an entry into a later
dossier is dossiers.services.attachments.attachment_from_store.
"""

from django.utils.translation import gettext as _

from dossiers.constants import StoredDocumentKind
from dossiers.models import Attachment, Dossier, EResult, StoredDocument
from dossiers.uploads import PDF


def e_result_name(dossier: Dossier) -> str:
    procedure = dossier.procedure
    return procedure.result_name or _("Kết quả: %(procedure)s") % {"procedure": procedure.name}


def documents_keep(*, dossier: Dossier, now) -> int:
    """Enter the completed dossier's e-result and accepted papers in its applicant's store; how many.

    Runs in the completing transaction; entering the same dossier again adds nothing."""
    owner_id = dossier.applicant_id
    kept = list(StoredDocument.objects.filter(owner_id=owner_id, dossier=dossier).values_list("kind", "attachment_id"))
    has_e_result = any(kind == StoredDocumentKind.E_RESULT for kind, _attachment in kept)
    kept_papers = {attachment_id for _kind, attachment_id in kept}
    entries = []
    e_result = EResult.objects.filter(dossier=dossier).first()
    if e_result is not None and dossier.result_file and not has_e_result:
        entries.append(
            StoredDocument(
                owner_id=owner_id,
                kind=StoredDocumentKind.E_RESULT,
                dossier=dossier,
                name=e_result_name(dossier)[:500],
                file=dossier.result_file.name,
                content_type=PDF,
                size=e_result.size,
                sha256=e_result.sha256,
                created_at=now,
            )
        )
    papers = Attachment.objects.filter(dossier=dossier, superseded_at__isnull=True, reused_from__isnull=True)
    for attachment in papers.exclude(pk__in=kept_papers).select_related("document"):
        entries.append(
            StoredDocument(
                owner_id=owner_id,
                kind=StoredDocumentKind.PAPER,
                dossier=dossier,
                attachment=attachment,
                document_key=attachment.paper_key,
                name=attachment.paper_name,
                file=attachment.file.name,
                content_type=attachment.content_type,
                size=attachment.size,
                sha256=attachment.sha256,
                created_at=now,
            )
        )
    # The unique constraints (one entry per paper, one e-result per dossier) also settle a race.
    StoredDocument.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)
