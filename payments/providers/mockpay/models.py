"""The gateway simulator's own books: what a real gateway would hold on its side of the wire."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import portal.clock as clock
from payments.constants import NoticeEvent, PaymentMethod


class GatewayStatus(models.TextChoices):
    PENDING = "pending", _("Chờ người trả tiền")
    SUCCEEDED = "succeeded", _("Thành công")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Người trả tiền đã hủy")
    EXPIRED = "expired", _("Hết thời gian")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class RefundStatus(models.TextChoices):
    NONE = "", _("Không có")
    PENDING = "pending", _("Đang hoàn")
    SUCCEEDED = "succeeded", _("Đã hoàn")
    FAILED = "failed", _("Hoàn lỗi")


def new_ref() -> str:
    return f"MP{uuid.uuid4().hex[:20].upper()}"


class GatewayTransaction(models.Model):
    ref = models.CharField(max_length=64, unique=True, default=new_ref)
    merchant_payment_id = models.CharField(max_length=64, db_index=True)
    amount = models.PositiveIntegerField()
    description = models.CharField(max_length=255, blank=True)
    return_url = models.CharField(max_length=500)
    status = models.CharField(max_length=12, choices=GatewayStatus.choices, default=GatewayStatus.PENDING)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    refund_ref = models.CharField(max_length=64, blank=True)
    refund_status = models.CharField(max_length=12, choices=RefundStatus.choices, blank=True, default="")
    refund_attempts = models.PositiveSmallIntegerField(default=0)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("giao dịch tại cổng mô phỏng")
        verbose_name_plural = _("giao dịch tại cổng mô phỏng")

    def __str__(self):
        return f"{self.ref} {self.amount} ({self.status})"

    def effective_status(self, now=None) -> str:
        """A session nobody finished is expired once its time is up, whether or not anyone looked."""
        now = now or clock.now()
        if self.status == GatewayStatus.PENDING and now >= self.expires_at:
            return GatewayStatus.EXPIRED
        return self.status


class GatewayNotice(models.Model):
    """A server-to-server notice the simulator owes the merchant, retried with backoff until delivered."""

    transaction = models.ForeignKey(GatewayTransaction, on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(max_length=24, choices=NoticeEvent.choices)
    body = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.event} {self.transaction_id} ({'sent' if self.delivered_at else 'queued'})"
