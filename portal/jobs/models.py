from django.db import models
from django.utils.translation import gettext_lazy as _


class FailedJobStatus(models.TextChoices):
    FAILED = "failed", _("Thất bại")
    RERUN = "rerun", _("Đã cho chạy lại")
    SUCCEEDED = "succeeded", _("Chạy lại thành công")


class FailedJob(models.Model):
    """A background task that failed for good (its retries used up), kept until someone runs it again."""

    task_name = models.CharField(_("tác vụ"), max_length=200)
    task_id = models.CharField(_("mã lần chạy"), max_length=255, unique=True)
    args = models.JSONField(_("tham số"), default=list, blank=True)
    kwargs = models.JSONField(_("tham số có tên"), default=dict, blank=True)
    error = models.TextField(_("lỗi"))
    traceback = models.TextField(_("vết lỗi"), blank=True)
    failed_at = models.DateTimeField(_("thất bại lúc"))
    failures = models.PositiveIntegerField(_("số lần thất bại"), default=1)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=FailedJobStatus.choices, default=FailedJobStatus.FAILED
    )
    rerun_task_id = models.CharField(_("mã lần chạy lại"), max_length=255, blank=True, db_index=True)
    rerun_at = models.DateTimeField(_("chạy lại lúc"), null=True, blank=True)
    succeeded_at = models.DateTimeField(_("thành công lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]
        indexes = [models.Index(fields=["status", "-failed_at"])]
        verbose_name = _("tác vụ thất bại")
        verbose_name_plural = _("tác vụ thất bại")

    def __str__(self):
        return f"{self.task_name} {self.args} ({self.get_status_display()})"


class Heartbeat(models.Model):
    """The last time a background process showed it was alive (the worker, beat), read by /healthz."""

    name = models.CharField(max_length=20, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
