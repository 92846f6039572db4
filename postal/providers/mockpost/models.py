"""The courier simulator's own books: what a post office would hold on its side of the wire."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from postal.constants import ShipmentStatus


class Parcel(models.Model):
    tracking_number = models.CharField(max_length=13, unique=True)
    merchant_reference = models.CharField(max_length=64, unique=True)
    sender_name = models.CharField(max_length=255)
    sender_address = models.CharField(max_length=255, blank=True)
    recipient = models.JSONField(default=dict)
    same_province = models.BooleanField(default=True)
    cod_amount = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.CREATED)
    # When the parcel takes its next step on its own (the periodic task); None once it is final.
    next_step_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bưu gửi tại bưu chính mô phỏng")
        verbose_name_plural = _("bưu gửi tại bưu chính mô phỏng")

    def __str__(self):
        return f"{self.tracking_number} ({self.status})"


class ParcelNotice(models.Model):
    """A status notice the simulator owes the portal, retried with backoff until delivered."""

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="notices")
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    body = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.status} {self.parcel_id} ({'sent' if self.delivered_at else 'queued'})"
