import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import portal.clock as clock
from payments.constants import AlertKind, PaymentMethod, PaymentStatus


class Payment(models.Model):
    """One attempt to pay a dossier's fee through the gateway. Its status moves only through services._move."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveIntegerField(_("số tiền (VND)"))
    breakdown = models.JSONField(_("chi tiết phí, lệ phí"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, editable=False
    )
    method = models.CharField(_("phương thức"), max_length=8, choices=PaymentMethod.choices, blank=True)
    provider = models.CharField(_("cổng thanh toán"), max_length=32)
    provider_ref = models.CharField(_("mã giao dịch tại cổng"), max_length=64, blank=True)
    pay_url = models.CharField(max_length=500, blank=True)
    refund_ref = models.CharField(_("mã hoàn tiền tại cổng"), max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=128, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=32, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    refund_requested_at = models.DateTimeField(null=True, blank=True)
    # Set while a refund attempt waits for the gateway's answer (asked outside any transaction).
    refund_asked_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(_("hoàn tiền lúc"), null=True, blank=True)
    refund_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        indexes = [
            models.Index(fields=["status", "created_at"], name="payment_status_created"),
            models.Index(fields=["dossier", "-created_at"], name="payment_dossier_recent"),
            # The figures read a day's payments and refunds by these.
            models.Index(fields=["paid_at"], name="payment_paid_at"),
            models.Index(fields=["refunded_at"], name="payment_refunded_at"),
        ]
        constraints = [
            # Pressing pay twice must never open two sessions for one dossier.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status=PaymentStatus.PENDING), name="payment_one_pending_per_dossier"
            ),
            models.UniqueConstraint(
                fields=["payer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="payment_unique_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_ref"], condition=~Q(provider_ref=""), name="payment_unique_provider_ref"
            ),
        ]

    def __str__(self):
        return f"{self.public_id} {self.amount} ({self.status})"


class PaymentEvent(models.Model):
    """An immutable row per notice received or status change: the payment's audit trail.

    `event_key` identifies a gateway notice ("<event>:<provider_ref>"); its uniqueness is what
    makes a replayed notice a no-op even when two copies arrive at the same moment.
    """

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    event_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    source = models.CharField(max_length=16)  # notice, query, portal
    from_status = models.CharField(max_length=16, choices=PaymentStatus.choices)
    to_status = models.CharField(max_length=16, choices=PaymentStatus.choices)
    applied = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.payment_id}: {self.from_status} → {self.to_status} ({self.source})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Payment events are immutable")
        super().save(*args, **kwargs)


class PaymentAlert(models.Model):
    """Something staff must look at: a notice with the wrong amount, a refund that keeps failing."""

    kind = models.CharField(_("loại"), max_length=24, choices=AlertKind.choices)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts")
    detail = models.TextField(_("chi tiết"))
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cảnh báo thanh toán")
        verbose_name_plural = _("cảnh báo thanh toán")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.detail[:60]}"


class ReceiptCounter(models.Model):
    """The last receipt number handed out per year; locked while a number is taken, so numbers have no gaps."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_value}"
