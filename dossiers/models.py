import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import portal.clock as clock
from dossiers.constants import Actor, DossierStatus, IntakeChannel, StoredDocumentKind
from procedures.constants import DeliveryMethod

# Rows the agency queue lists (a citizen's unsent draft is theirs alone), and the status sets of its
# partial indexes. They are written here, below dossiers/rules.py, as the same sorted lists the
# selectors filter with: PostgreSQL uses a partial index only for a query whose condition implies it.
QUEUE_ROWS = ~Q(status=DossierStatus.DRAFT)
RESULT_TAB_STATUSES = sorted([DossierStatus.IN_DELIVERY, DossierStatus.RESULT_READY])
DEADLINE_STATUSES = sorted([DossierStatus.AWAITING_APPROVAL, DossierStatus.PROCESSING, DossierStatus.RESULT_READY])


class Dossier(models.Model):
    """One application (hồ sơ) for one procedure at one agency. Its status has one writer: workflow.py."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True, null=True, blank=True)
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.PROTECT, related_name="dossiers")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_dossiers",
        help_text=_("Cán bộ một cửa nhập hồ sơ giấy thay người nộp"),
    )
    # The applicant as identified on this dossier (kept even if the account changes later);
    # the public lookup's second factor is checked against these.
    applicant_name = models.CharField(_("người nộp"), max_length=200, blank=True)
    applicant_id_number = models.CharField(_("số giấy tờ tùy thân"), max_length=13, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    on_behalf_note = models.CharField(
        _("ghi chú nộp thay"), max_length=255, blank=True, help_text=_("Ví dụ: người cao tuổi, người khuyết tật")
    )
    channel = models.CharField(_("kênh nộp"), max_length=8, choices=IntakeChannel.choices, default=IntakeChannel.ONLINE)
    status = models.CharField(
        _("trạng thái"), max_length=24, choices=DossierStatus.choices, default=DossierStatus.DRAFT, editable=False
    )
    form_data = models.JSONField(_("dữ liệu tờ khai"), default=dict, blank=True)
    delivery_method = models.CharField(
        _("hình thức nhận kết quả"), max_length=8, choices=DeliveryMethod.choices, default=DeliveryMethod.COUNTER
    )
    delivery_address = models.JSONField(_("địa chỉ nhận kết quả"), default=dict, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_dossiers"
    )
    amount_due = models.PositiveIntegerField(_("số tiền phải nộp (VND)"), default=0)
    amount_paid = models.PositiveIntegerField(_("số tiền đã nộp (VND)"), default=0)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    result_file = models.FileField(upload_to="results/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        # Each list's filter and order (dossiers/selectors.py): the agency queue reads its page in index
        # order, `due_at, submitted_at, id`, with no sort, whatever the tab; counts read only open rows.
        indexes = [
            models.Index(
                fields=["agency", "due_at", "submitted_at", "id"], condition=QUEUE_ROWS, name="dossier_queue_all"
            ),
            models.Index(fields=["agency", "status", "due_at", "submitted_at", "id"], name="dossier_queue_status"),
            models.Index(
                fields=["agency", "due_at", "submitted_at", "id"],
                condition=Q(status__in=RESULT_TAB_STATUSES),
                name="dossier_queue_result",
            ),
            models.Index(
                fields=["agency", "due_at", "submitted_at", "id"],
                condition=Q(status__in=DEADLINE_STATUSES, clock_paused_at__isnull=True),
                name="dossier_queue_deadline",
            ),
            models.Index(
                fields=["agency", "assignee", "due_at", "submitted_at", "id"],
                condition=QUEUE_ROWS,
                name="dossier_queue_assignee",
            ),
            # `assignee IS NULL` does not make the planner see the column as fixed, as `= id` does:
            # the unassigned list needs an index of its own to come out in order.
            models.Index(
                fields=["agency", "due_at", "submitted_at", "id"],
                condition=QUEUE_ROWS & Q(assignee__isnull=True),
                name="dossier_queue_unassigned",
            ),
            models.Index(fields=["applicant", "-created_at", "-id"], name="dossier_applicant_list"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            # The figures read a day's receipts and closings (today's live KPIs, a day's rollup) by these.
            models.Index(fields=["received_at"], name="dossier_received_at"),
            models.Index(fields=["completed_at"], name="dossier_completed_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_paid__lte=models.F("amount_due")), name="dossier_paid_at_most_due"
            ),
        ]

    def __str__(self):
        return self.code or f"#{self.pk} ({self.get_status_display()})"

    @property
    def is_received(self) -> bool:
        return self.received_at is not None


class DossierEvent(models.Model):
    """An immutable row per change: the citizen's timeline (public ones) and the audit trail (all)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24, choices=DossierStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=DossierStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_role = models.CharField(max_length=16, choices=Actor.choices)
    public_note = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    # Audit-only rows (an attachment added, say) stay off the applicant's public timeline.
    is_public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")
        indexes = [
            models.Index(fields=["dossier", "created_at"], name="dossierevent_timeline"),
            # The figures count a day's supplement requests; a partial index keeps it small.
            models.Index(
                fields=["created_at"],
                condition=Q(to_status=DossierStatus.SUPPLEMENT_REQUESTED),
                name="dossierevent_supplement_day",
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_status} → {self.to_status} ({self.action})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Dossier events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Dossier events are immutable")


class DossierCodeCounter(models.Model):
    """The last sequence handed out per agency per day; locked while a code is taken, so codes have no gaps."""

    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE)
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossiercodecounter_unique_day")]

    def __str__(self):
        return f"{self.agency_id} {self.day}: {self.last_value}"


def attachment_upload_to(instance, filename):
    # Generated names only: the applicant's file name is kept in a field, never in the path.
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(instance.content_type, "")
    return f"attachments/{instance.dossier.public_id}/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    # A paper of the procedure's list, or (document empty) an "other paper" an official named in a
    # supplement request: its key and name are then kept here.
    document = models.ForeignKey(
        "procedures.RequiredDocument", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    other_key = models.SlugField(_("mã giấy tờ khác"), max_length=64, blank=True)
    other_name = models.CharField(_("tên giấy tờ khác"), max_length=200, blank=True)
    file = models.FileField(upload_to=attachment_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    thumbnail = models.FileField(upload_to="thumbnails/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Taken from the applicant's document store instead of uploaded: the same stored file, no copy.
    reused_from = models.ForeignKey(
        "StoredDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="reuses"
    )
    # Digitised (số hóa): an electronic copy the agency can work from. A file the applicant sent online
    # is one from the start; a scan of a paper dossier is one once the receiver has checked it against
    # the paper and marked it so.
    digitised_at = models.DateTimeField(_("thời điểm số hóa"), null=True, blank=True)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("giấy tờ đính kèm")
        verbose_name_plural = _("giấy tờ đính kèm")
        indexes = [models.Index(fields=["dossier", "document"], name="attachment_dossier_document")]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, other_key="") | Q(document__isnull=True) & ~Q(other_key=""),
                name="attachment_document_or_other_paper",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_digitised(self) -> bool:
        return self.digitised_at is not None

    @property
    def paper_key(self) -> str:
        return self.document.key if self.document_id else self.other_key

    @property
    def paper_name(self) -> str:
        return self.document.name if self.document_id else self.other_name


class Rating(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_5")]
        indexes = [models.Index(fields=["created_at"], name="rating_created_at")]  # a day's ratings (figures)

    def __str__(self):
        return f"{self.dossier_id}: {self.score}/5"


class QueueCount(models.Model):
    """How many of an agency's dossiers are in a status, kept in step by every move (workflow.transition)
    in the moving transaction, so that the queue's tab counts are read, never counted.

    Drafts are not counted (no queue shows them). dossiers/queue_counts.py writes these rows;
    `manage.py recount_queues` rebuilds them from the dossiers (after a bulk load).
    """

    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24, choices=DossierStatus.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "status"], name="queuecount_agency_status")]

    def __str__(self):
        return f"{self.agency_id} {self.status}: {self.count}"


class EResult(models.Model):
    """The signed electronic result of a dossier (kết quả điện tử): Dossier.result_file holds the signed
    PDF; this row says who signed it, with which certificate, and the public link that checks it."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="e_result")
    # The public verification page's key: printed in the QR code on the result, says nothing by itself.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("procedures.Agency", on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("cơ quan ký"), max_length=200)
    certificate_serial = models.CharField(_("số hiệu chứng thư số"), max_length=64)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    signed_at = models.DateTimeField(_("thời điểm ký"))

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")

    def __str__(self):
        return f"{self.dossier_id}: {self.signer_name} {self.signed_at:%Y-%m-%d}"


class StoredDocument(models.Model):
    """An entry of a citizen's document store (kho dữ liệu điện tử): an e-result or an accepted paper of
    one of their completed dossiers. It points at the file the dossier keeps (no copy), and may be taken
    into a later dossier's matching paper without uploading it again."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stored_documents")
    kind = models.CharField(_("loại"), max_length=16, choices=StoredDocumentKind.choices)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # The paper it was (its key matches the same paper of another procedure); empty for an e-result.
    document_key = models.SlugField(max_length=64, blank=True)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("giấy tờ trong kho dữ liệu điện tử")
        verbose_name_plural = _("kho dữ liệu điện tử")
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="storeddocument_owner_list")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "attachment"], condition=Q(attachment__isnull=False), name="storeddocument_paper_once"
            ),
            models.UniqueConstraint(
                fields=["owner", "dossier"],
                condition=Q(kind=StoredDocumentKind.E_RESULT),
                name="storeddocument_e_result_once",
            ),
        ]

    def __str__(self):
        return self.name
