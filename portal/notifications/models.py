from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", _("Thư điện tử")
    APP = "app", _("Thông báo trên cổng")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class OutboundMessage(models.Model):
    """The outbox: written in the caller's transaction, delivered by a task after commit.

    The SMS and e-mail simulators "deliver" by marking the row sent, so the same table
    is also what the trainer console and `manage.py outbox` read.
    """

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    status = models.CharField(max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tin nhắn, thư gửi đi")
        verbose_name_plural = _("hộp thư đi")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="outbox_recipient_created"),
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
        ]

    def __str__(self):
        return f"{self.channel} → {self.recipient}: {self.body[:40]}"
