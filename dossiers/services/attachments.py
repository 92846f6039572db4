"""Attaching papers to a dossier: checked uploads, reuse of an earlier file, thumbnails.

The costly file checks run before the write transaction opens, so a large image being
decoded never holds the dossier's row lock (or SQLite's single write lock).
"""

import hashlib
import io
import logging
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image

import portal.clock as clock
from dossiers import rules
from dossiers.constants import Actor, IntakeChannel
from dossiers.models import Attachment, Dossier, DossierEvent
from dossiers.roles import actor_roles
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
from procedures.models import RequiredDocument

logger = logging.getLogger(__name__)

ERR_DOSSIER_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")
ERR_NOT_EDITABLE = gettext_noop(
    "Chỉ thêm được giấy tờ khi hồ sơ là bản nháp hoặc đang được yêu cầu bổ sung (hiện tại: “{status}”)."
)
ERR_UNKNOWN_DOCUMENT = gettext_noop("Thủ tục này không có thành phần hồ sơ “{key}”.")
ERR_SOURCE_NOT_FOUND = gettext_noop("Không tìm thấy tệp đã nộp trước đây để dùng lại.")

EDITABLE_STATUSES = rules.APPLICANT_EDITABLE_STATUSES
AGENCY_ACTORS = frozenset({Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER, Actor.LEADER})
THUMBNAIL_BOX = (320, 320)
THUMBNAIL_TYPES = IMAGE_TYPES
MAKE_THUMBNAIL_TASK = "dossiers.tasks.make_attachment_thumbnail"


def attachment_add(*, dossier: Dossier, user, document_key: str, uploaded_file) -> Attachment:
    """Check the upload and attach it to the dossier; a rejected file leaves nothing behind."""
    document, roles = _editable_document(dossier=dossier, user=user, document_key=document_key)
    checked = inspect_upload(uploaded_file, accepted_types=document.accepted_types)
    return _attachment_store(dossier_id=dossier.pk, document=document, user=user, roles=roles, checked=checked)


def attachment_reuse(*, dossier: Dossier, user, document_key: str, source_attachment_id: int) -> Attachment:
    """Copy a file the same applicant sent with an earlier dossier (a copy: each dossier owns its files)."""
    document, roles = _editable_document(dossier=dossier, user=user, document_key=document_key)
    source = (
        Attachment.objects.filter(pk=source_attachment_id, dossier__applicant_id=dossier.applicant_id)
        .exclude(dossier_id=dossier.pk)
        .first()
    )
    if source is None:
        raise NotFoundError(_(ERR_SOURCE_NOT_FOUND), field="source_attachment")
    accepted = normalize_types(document.accepted_types)
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
    return _attachment_store(dossier_id=dossier.pk, document=document, user=user, roles=roles, checked=checked)


def _editable_document(*, dossier: Dossier, user, document_key: str) -> tuple[RequiredDocument, frozenset]:
    """404 for a stranger, 409 outside draft / supplement, 400 for a key the procedure does not list;
    the document and the caller's roles on the dossier."""
    roles = _check_may_upload(dossier=dossier, user=user)
    _check_editable(dossier)
    document = RequiredDocument.objects.filter(procedure_id=dossier.procedure_id, key=document_key).first()
    if document is None:
        raise ServiceError(_(ERR_UNKNOWN_DOCUMENT).format(key=document_key), field="document")
    return document, roles


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
    is_applicant = Actor.APPLICANT in roles
    # Officials attach papers only to dossiers their counter took in, never to a citizen's online draft.
    is_counter_intake = bool(roles & AGENCY_ACTORS) and dossier.channel != IntakeChannel.ONLINE
    if not (is_applicant or is_counter_intake):
        raise NotFoundError(_(ERR_DOSSIER_NOT_FOUND))
    return roles


def _check_editable(dossier: Dossier) -> None:
    if dossier.status not in EDITABLE_STATUSES:
        raise ConflictError(_(ERR_NOT_EDITABLE).format(status=dossier.get_status_display()), code="wrong_status")


def _record_attachment_event(*, dossier: Dossier, attachment: Attachment, user, roles: frozenset) -> None:
    """An audit row (not on the public timeline): who attached which paper, in which status."""
    DossierEvent.objects.create(
        dossier=dossier,
        action="attach",
        from_status=dossier.status,
        to_status=dossier.status,
        actor=user,
        actor_role=Actor.APPLICANT if Actor.APPLICANT in roles else sorted(roles & AGENCY_ACTORS)[0],
        is_public=False,
        data={"attachment": attachment.pk, "document": attachment.document.key, "sha256": attachment.sha256},
    )


def _attachment_store(
    *, dossier_id: int, document: RequiredDocument, user, roles: frozenset, checked: CheckedFile
) -> Attachment:
    stored_name = None
    try:
        with transaction.atomic():
            # Locked so that a submission cannot slip in between the status check and the new row.
            dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
            _check_editable(dossier)
            attachment = Attachment(
                dossier=dossier,
                document=document,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=user,
                created_at=clock.now(),
            )
            attachment.file.save(checked.original_name, ContentFile(checked.content), save=False)
            stored_name = attachment.file.name
            attachment.save()
            Attachment.objects.filter(dossier=dossier, document=document, superseded_at__isnull=True).exclude(
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
