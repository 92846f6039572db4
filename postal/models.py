import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

import portal.clock as clock
from postal.constants import ShipmentDirection, ShipmentStatus


class Shipment(models.Model):
    """A parcel of a dossier handed to the public postal service (BCCI). Its status moves only by
    postal.services, on the courier's notices; every move is a ShipmentEvent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # An inbound pickup carries a paper dossier that does not exist yet: it is linked to the dossier
    # the counter registers when the parcel arrives; until then it says who asked, for what and where.
    # Every shipment names its applicant, procedure and agency, so the agency's list needs no join.
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="shipments", null=True, blank=True
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pickups", null=True, blank=True
    )
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.PROTECT, null=True, blank=True)
    agency = models.ForeignKey("procedures.Agency", on_delete=models.PROTECT, null=True, blank=True)
    direction = models.CharField(_("chiều gửi"), max_length=8, choices=ShipmentDirection.choices)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=32, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.CREATED, editable=False
    )
    provider = models.CharField(_("đơn vị bưu chính"), max_length=32)
    zone = models.CharField(_("vùng tính cước"), max_length=16)
    fee = models.PositiveIntegerField(_("cước bưu chính (VND)"))
    cod_amount = models.PositiveIntegerField(_("tiền thu hộ khi phát (VND)"), default=0)
    address = models.JSONField(_("địa chỉ nhận"), default=dict)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bưu gửi")
        verbose_name_plural = _("bưu gửi")
        indexes = [
            models.Index(fields=["dossier", "created_at"], name="shipment_dossier_created"),
            # The agency's shipments page: its filter and its order.
            models.Index(fields=["agency", "-created_at", "-id"], name="shipment_agency_recent"),
        ]

    def __str__(self):
        return f"{self.tracking_number} ({self.status})"

    @property
    def counterpart_name(self) -> str:
        """Who receives the result sent, or who handed the collected dossier to the postman."""
        named = self.address.get("recipient_name") or self.address.get("recipient")
        if named:
            return named
        if self.dossier_id is not None:
            return self.dossier.applicant_name
        return self.applicant.full_name if self.applicant_id else ""


class ShipmentEvent(models.Model):
    """An immutable row per status the shipment reached: when and where, as the courier reported it.

    `event_key` ("<tracking number>:<status>") is unique: a parcel reaches each status once, so a
    replayed notice finds its key taken, even when two copies arrive at the same moment.
    """

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    event_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    occurred_at = models.DateTimeField(_("thời điểm"))
    location = models.CharField(_("địa điểm"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return self.event_key

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Shipment events are immutable")
        super().save(*args, **kwargs)
