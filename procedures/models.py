from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.text import fold
from procedures.constants import DOCUMENT_TYPES, CalendarDayKind, DeliveryMethod, GovLevel, OnlineLevel


def default_document_types():
    return list(DOCUMENT_TYPES)


def default_delivery_methods():
    return [DeliveryMethod.COUNTER.value]


def default_form_schema():
    return {"type": "object", "properties": {}, "required": []}


class Agency(models.Model):
    """An agency with a one-stop counter, coded per QCVN 102:2016 (e.g. 000.00.15.H26)."""

    code = models.CharField(_("mã định danh"), max_length=35, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    gov_level = models.CharField(_("cấp"), max_length=10, choices=GovLevel.choices, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self):
        return self.name


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to."""

    code = models.SlugField(_("mã lĩnh vực"), max_length=64, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=64, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    # Folded (lower-case, no diacritics, đ → d) name and code, kept in step on save,
    # so that search works the same on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures")
    agencies = models.ManyToManyField(Agency, related_name="procedures", blank=True)
    gov_level = models.CharField(_("cấp thực hiện"), max_length=10, choices=GovLevel.choices, db_index=True)
    online_level = models.PositiveSmallIntegerField(_("mức độ trực tuyến"), choices=OnlineLevel.choices, db_index=True)
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"))
    fee = models.PositiveIntegerField(_("phí (VND)"), default=0)
    charge = models.PositiveIntegerField(_("lệ phí (VND)"), default=0)
    online_discount_percent = models.PositiveSmallIntegerField(_("giảm khi nộp trực tuyến (%)"), default=0)
    fee_note = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    form_schema = models.JSONField(_("biểu mẫu điện tử"), default=default_form_schema)
    delivery_methods = models.JSONField(_("hình thức nhận kết quả"), default=default_delivery_methods)
    result_name = models.CharField(_("kết quả"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    description = models.TextField(_("trình tự thực hiện"), blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        constraints = [
            models.CheckConstraint(
                condition=Q(online_discount_percent__lte=100), name="procedure_discount_at_most_100"
            ),
            models.CheckConstraint(condition=Q(online_level__in=[2, 3, 4]), name="procedure_online_level_2_3_4"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.code}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "code"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def total_fee(self) -> int:
        return self.fee + self.charge

    @property
    def online_total_fee(self) -> int:
        """What an online dossier pays: the discount is taken off fee and charge together, in whole VND."""
        return self.total_fee - self.total_fee * self.online_discount_percent // 100


class RequiredDocument(models.Model):
    """A paper (thành phần hồ sơ) the applicant must or may attach."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="required_documents")
    key = models.SlugField(_("mã giấy tờ"), max_length=64)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    accepted_types = models.JSONField(_("định dạng chấp nhận"), default=default_document_types)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procedure", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "key"], name="requireddocument_unique_key"),
        ]

    def __str__(self):
        return self.name


class FormTemplate(models.Model):
    """A blank form (biểu mẫu, tờ khai) of a procedure to download, fill in and bring to the counter:
    what a level-2 procedure offers online."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_templates")
    name = models.CharField(_("tên biểu mẫu"), max_length=500)
    file = models.FileField(_("tệp"), upload_to="form-templates/")
    file_name = models.CharField(_("tên tệp tải về"), max_length=255)
    sha256 = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "file_name"], name="formtemplate_unique_file_name"),
        ]

    def __str__(self):
        return self.name


class CalendarOverride(models.Model):
    """A day the official calendar changes: an extra day off, or a make-up working day."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=CalendarDayKind.choices)
    name = models.CharField(_("lý do"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class DiscountPolicy(models.Model):
    """A fee cut, e.g. 50% off for dossiers submitted online, for one procedure or for all, within dates."""

    name = models.CharField(_("tên chính sách"), max_length=200)
    percent = models.PositiveSmallIntegerField(_("mức giảm (%)"))
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discount_policies",
        help_text=_("Để trống: áp dụng cho mọi thủ tục"),
    )
    online_only = models.BooleanField(_("chỉ cho hồ sơ nộp trực tuyến"), default=True)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["-valid_from", "id"]
        verbose_name = _("chính sách giảm phí, lệ phí")
        verbose_name_plural = _("chính sách giảm phí, lệ phí")
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100), name="discount_percent_1_100"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="discount_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.percent}%)"
