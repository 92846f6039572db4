"""Attaching papers to a dossier: checked uploads, reuse of an earlier file or of the document store, thumbnails.

The costly file checks run before the write transaction opens, so a large image being
decoded never holds the dossier's row lock (or SQLite's single write lock).
"""

import hashlib
import io
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image

import portal.clock as clock
from dossiers import rules, supplements
from dossiers.constants import Actor, IntakeChannel
from dossiers.models import Attachment, Dossier, DossierEvent, StoredDocument
from dossiers.roles import actor_roles
from dossiers.store import stored_document_fits
from dossiers.uploads import (
    ERR_TYPE_NOT_ACCEPTED,
    IMAGE_TYPES,
    JPEG,
    PDF,
    PNG,
    TYPE_LABELS,
    CheckedFile,
    inspect_upload,
    normalize_types,
)
from portal.background import enqueue_on_commit
from portal.errors import ConflictError, NotFoundError, ServiceError
from procedures.models import RequiredDocument, default_document_types

logger = logging.getLogger(__name__)

ERR_DOSSIER_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")
ERR_NOT_EDITABLE = gettext_noop(
    "Chỉ thêm được giấy tờ khi hồ sơ là bản nháp hoặc đang được yêu cầu bổ sung (hiện tại: “{status}”)."
)
ERR_SCANS_CLOSED = gettext_noop("Hồ sơ đã kết thúc (“{status}”) nên không thêm bản quét được nữa.")
ERR_ATTACHMENT_NOT_FOUND = gettext_noop("Không tìm thấy giấy tờ này trong hồ sơ.")
ERR_UNKNOWN_DOCUMENT = gettext_noop("Thủ tục này không có thành phần hồ sơ “{key}”.")
ERR_SOURCE_NOT_FOUND = gettext_noop("Không tìm thấy tệp đã nộp trước đây để dùng lại.")
ERR_STORED_NOT_FOUND = gettext_noop("Không tìm thấy giấy tờ này trong kho dữ liệu điện tử của người nộp.")
ERR_STORED_DOES_NOT_FIT = gettext_noop("“{name}” không dùng được cho thành phần hồ sơ “{document}”.")
REUSE_ACTION = "reuse_document"

EDITABLE_STATUSES = rules.APPLICANT_EDITABLE_STATUSES
AGENCY_ACTORS = frozenset({Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER, Actor.LEADER})
THUMBNAIL_BOX = (320, 320)
THUMBNAIL_TYPES = IMAGE_TYPES
MAKE_THUMBNAIL_TASK = "dossiers.tasks.make_attachment_thumbnail"


@dataclass(frozen=True)
class PaperSlot:
    """Where a file goes: a paper of the procedure's list, or an other paper a supplement request named."""

    key: str
    name: str
    accepted_types: list
    document: RequiredDocument | None = None


def attachment_add(*, dossier: Dossier, user, document_key: str, uploaded_file, digitised: bool = False) -> Attachment:
    """Check the upload and attach it to the dossier; a rejected file leaves nothing behind.

    The applicant's file is digitised as it arrives (it is electronic); the counter's scan of a paper is
    digitised when the official says it was checked against the paper (`digitised`), or later.
    """
    slot, roles = _editable_slot(dossier=dossier, user=user, document_key=document_key)
    checked = inspect_upload(uploaded_file, accepted_types=slot.accepted_types)
    return _attachment_store(
        dossier_id=dossier.pk, slot=slot, user=user, roles=roles, checked=checked, digitised=digitised
    )


def attachment_reuse(*, dossier: Dossier, user, document_key: str, source_attachment_id: int) -> Attachment:
    """Copy a file the same applicant sent with an earlier dossier (a copy: each dossier owns its files)."""
    slot, roles = _editable_slot(dossier=dossier, user=user, document_key=document_key)
    source = (
        Attachment.objects.filter(pk=source_attachment_id, dossier__applicant_id=dossier.applicant_id)
        .exclude(dossier_id=dossier.pk)
        .first()
    )
    if source is None:
        raise NotFoundError(_(ERR_SOURCE_NOT_FOUND), field="source_attachment")
    accepted = normalize_types(slot.accepted_types)
    if source.content_type not in accepted:
        labels = ", ".join(TYPE_LABELS[t] for t in (PDF, JPEG, PNG) if t in accepted)
        raise ServiceError(
            _(ERR_TYPE_NOT_ACCEPTED).format(type=TYPE_LABELS.get(source.content_type, "?"), accepted=labels),
            field="source_attachment",
        )
    with source.file.open("rb") as stored:
        content = stored.read()
    checked = CheckedFile(
        content=content,
        content_type=source.content_type,
        original_name=source.original_name,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return _attachment_store(dossier_id=dossier.pk, slot=slot, user=user, roles=roles, checked=checked)


def attachment_from_store(*, dossier: Dossier, user, document_key: str, stored_document_id: int) -> Attachment:
    """Take a paper or e-result from the applicant's document store into this dossier's matching paper of
    the procedure's list: the stored file itself (no upload, no copy), recorded as a reuse of digitised data."""
    slot, roles = _editable_slot(dossier=dossier, user=user, document_key=document_key)
    if Actor.APPLICANT not in roles:
        raise NotFoundError(_(ERR_STORED_NOT_FOUND), field="stored_document")
    stored = (
        StoredDocument.objects.select_related("attachment", "dossier")
        .filter(pk=stored_document_id, owner_id=dossier.applicant_id)
        .first()
    )
    if stored is None:
        raise NotFoundError(_(ERR_STORED_NOT_FOUND), field="stored_document")
    if slot.document is None or not stored_document_fits(stored, slot.document):
        raise ServiceError(
            _(ERR_STORED_DOES_NOT_FIT).format(name=stored.name, document=slot.name), field="stored_document"
        )
    name = stored.attachment.original_name if stored.attachment_id else f"{stored.dossier.code}-ket-qua.pdf"
    checked = CheckedFile(content=b"", content_type=stored.content_type, original_name=name, sha256=stored.sha256)
    return _attachment_store(
        dossier_id=dossier.pk, slot=slot, user=user, roles=roles, checked=checked, from_store=stored
    )


def _editable_slot(*, dossier: Dossier, user, document_key: str) -> tuple[PaperSlot, frozenset]:
    """404 for a stranger, 409 outside draft / supplement, 400 for a key that is neither a paper of the
    procedure nor an other paper of the open supplement request; the slot and the caller's roles."""
    roles = _check_may_upload(dossier=dossier, user=user)
    _check_editable(dossier, roles)
    document = RequiredDocument.objects.filter(procedure_id=dossier.procedure_id, key=document_key).first()
    if document is not None:
        return PaperSlot(document.key, document.name, document.accepted_types, document), roles
    other = supplements.other_paper(dossier, document_key)
    if other is None:
        raise ServiceError(_(ERR_UNKNOWN_DOCUMENT).format(key=document_key), field="document")
    return PaperSlot(other["key"], other["name"], default_document_types()), roles


def dossier_for_upload(*, dossier_id, user) -> Dossier:
    """The dossier the caller may attach papers to, or 404 whether it is missing or someone else's:
    checked before the upload is read, so the answer tells a stranger nothing about the dossier."""
    dossier = Dossier.objects.select_related("procedure").filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFoundError(_(ERR_DOSSIER_NOT_FOUND))
    _check_may_upload(dossier=dossier, user=user)
    return dossier


def _check_may_upload(*, dossier: Dossier, user) -> frozenset:
    roles = actor_roles(user=user, dossier=dossier)
    if not (Actor.APPLICANT in roles or _scans_for_counter(dossier, roles)):
        raise NotFoundError(_(ERR_DOSSIER_NOT_FOUND))
    return roles


def _scans_for_counter(dossier: Dossier, roles: frozenset) -> bool:
    """Officials attach papers only to dossiers their counter took in, never to a citizen's online draft."""
    return bool(roles & AGENCY_ACTORS) and dossier.channel != IntakeChannel.ONLINE


def _check_editable(dossier: Dossier, roles: frozenset) -> None:
    """The counter adds scans of a paper dossier while it is open; the applicant adds files to a draft
    or in answer to a supplement request."""
    if _scans_for_counter(dossier, roles):
        if not rules.accepts_scans(dossier):
            raise ConflictError(_(ERR_SCANS_CLOSED).format(status=dossier.get_status_display()), code="wrong_status")
        return
    if dossier.status not in EDITABLE_STATUSES:
        raise ConflictError(_(ERR_NOT_EDITABLE).format(status=dossier.get_status_display()), code="wrong_status")


def _uploader_role(roles: frozenset) -> str:
    return Actor.APPLICANT if Actor.APPLICANT in roles else sorted(roles & AGENCY_ACTORS)[0]


def _record_attachment_event(*, dossier: Dossier, attachment: Attachment, user, roles: frozenset) -> None:
    """An audit row (not on the public timeline): who attached which paper, in which status.
    A paper taken from the document store is told on the timeline: the applicant sees it was reused."""
    data = {
        "attachment": attachment.pk,
        "document": attachment.paper_key,
        "name": attachment.paper_name,
        "sha256": attachment.sha256,
    }
    reused, note = attachment.reused_from, ""
    if reused is not None:
        data |= {"stored_document": reused.pk, "kind": reused.kind, "source_dossier": reused.dossier.code or ""}
        note = f"Dùng lại “{reused.name}” từ kho dữ liệu điện tử cho “{attachment.paper_name}”."
    DossierEvent.objects.create(
        dossier=dossier,
        action=REUSE_ACTION if reused is not None else "attach",
        from_status=dossier.status,
        to_status=dossier.status,
        actor=user,
        actor_role=_uploader_role(roles),
        is_public=reused is not None,
        public_note=note,
        data=data,
    )


def _attachment_store(
    *,
    dossier_id: int,
    slot: PaperSlot,
    user,
    roles: frozenset,
    checked: CheckedFile,
    from_store: StoredDocument | None = None,
    digitised: bool = False,
) -> Attachment:
    stored_name = None
    try:
        with transaction.atomic():
            # Locked so that a submission cannot slip in between the status check and the new row.
            dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
            _check_editable(dossier, roles)
            now = clock.now()
            is_digitised = digitised or _uploader_role(roles) == Actor.APPLICANT
            attachment = Attachment(
                dossier=dossier,
                document=slot.document,
                other_key="" if slot.document else slot.key,
                other_name="" if slot.document else slot.name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=from_store.size if from_store else checked.size,
                sha256=checked.sha256,
                uploaded_by=user,
                created_at=now,
                reused_from=from_store,
                digitised_at=now if is_digitised else None,
                digitised_by=user if is_digitised else None,
            )
            if from_store is not None:
                attachment.file.name = from_store.file.name  # the stored file itself: never deleted here
            else:
                attachment.file.save(checked.original_name, ContentFile(checked.content), save=False)
                stored_name = attachment.file.name
            attachment.save()
            same_paper = Q(document=slot.document) if slot.document else Q(other_key=slot.key)
            Attachment.objects.filter(same_paper, dossier=dossier, superseded_at__isnull=True).exclude(
                pk=attachment.pk
            ).update(superseded_at=attachment.created_at)
            _record_attachment_event(dossier=dossier, attachment=attachment, user=user, roles=roles)
            if attachment.content_type in THUMBNAIL_TYPES:
                enqueue_on_commit(
                    MAKE_THUMBNAIL_TASK, attachment.pk, description=f"the thumbnail of attachment {attachment.pk}"
                )
    except BaseException:
        # The row rolled back; the bytes must not outlive it.
        if stored_name:
            Attachment.file.field.storage.delete(stored_name)
        raise
    return attachment


@transaction.atomic
def attachment_mark_digitised(*, dossier_id: int, attachment_id: int, user) -> Attachment:
    """The counter confirms a scan matches the paper: the paper counts as digitised (once; marking again
    changes nothing). 404 for anyone but the counter of a paper dossier, 409 once the dossier is closed."""
    dossier = Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier_id).first()
    roles = actor_roles(user=user, dossier=dossier) if dossier is not None else frozenset()
    if dossier is None or not _scans_for_counter(dossier, roles):
        raise NotFoundError(_(ERR_DOSSIER_NOT_FOUND))
    attachment = (
        Attachment.objects.select_related("document")
        .filter(pk=attachment_id, dossier=dossier, superseded_at__isnull=True)
        .first()
    )
    if attachment is None:
        raise NotFoundError(_(ERR_ATTACHMENT_NOT_FOUND), field="attachment")
    _check_editable(dossier, roles)
    if attachment.is_digitised:
        return attachment
    attachment.digitised_at, attachment.digitised_by = clock.now(), user
    attachment.save(update_fields=["digitised_at", "digitised_by"])
    DossierEvent.objects.create(
        dossier=dossier,
        action="digitise",
        from_status=dossier.status,
        to_status=dossier.status,
        actor=user,
        actor_role=_uploader_role(roles),
        is_public=False,
        data={"attachment": attachment.pk, "document": attachment.paper_key},
        created_at=attachment.digitised_at,
    )
    return attachment


def attachment_make_thumbnail(*, attachment_id: int) -> Attachment | None:
    """A 320 px JPEG preview of an image attachment; nothing for PDFs or when one exists already."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.thumbnail or attachment.content_type not in THUMBNAIL_TYPES:
        return attachment
    content = _thumbnail_bytes(attachment)
    name = attachment.thumbnail.field.generate_filename(attachment, f"{uuid.uuid4().hex}.jpg")
    name = attachment.thumbnail.storage.save(
        name, ContentFile(content), max_length=attachment.thumbnail.field.max_length
    )
    # Another worker may have finished first: keep theirs and drop ours.
    if not Attachment.objects.filter(pk=attachment.pk, thumbnail="").update(thumbnail=name):
        attachment.thumbnail.storage.delete(name)
    attachment.refresh_from_db(fields=["thumbnail"])
    return attachment


def _thumbnail_bytes(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        image.thumbnail(THUMBNAIL_BOX)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=80)
    return output.getvalue()


def attachment_thumbnails_sweep(*, older_than_seconds: int = 300, limit: int = 100) -> int:
    """Make the thumbnails whose task was lost (broker down, worker killed); returns how many were tried."""
    cutoff = clock.now() - timedelta(seconds=older_than_seconds)
    pending = list(
        Attachment.objects.filter(content_type__in=sorted(THUMBNAIL_TYPES), thumbnail="", created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for attachment_id in pending:
        try:
            attachment_make_thumbnail(attachment_id=attachment_id)
        except Exception:  # one unreadable file must not stop the rest of the sweep
            logger.exception("Could not make the thumbnail of attachment %s", attachment_id)
    return len(pending)
