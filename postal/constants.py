from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentDirection(models.TextChoices):
    OUTBOUND = "outbound", _("Gửi kết quả cho người nộp")
    INBOUND = "inbound", _("Thu gom hồ sơ từ người nộp")


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Đã tạo đơn gửi")
    PICKED_UP = "picked_up", _("Bưu tá đã nhận gửi")
    IN_TRANSIT = "in_transit", _("Đang vận chuyển")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Đang phát")
    DELIVERED = "delivered", _("Đã phát thành công")
    FAILED = "failed", _("Phát không thành công")
    RETURNED = "returned", _("Đã hoàn trả cơ quan")


S = ShipmentStatus

# How far along a parcel is: a courier's notice moves a shipment only forward. Delivered and failed
# are the two outcomes of the same attempt; only a failed parcel goes back to the sender.
PROGRESS = {
    S.CREATED: 0,
    S.PICKED_UP: 1,
    S.IN_TRANSIT: 2,
    S.OUT_FOR_DELIVERY: 3,
    S.DELIVERED: 4,
    S.FAILED: 4,
    S.RETURNED: 5,
}
FINAL_STATUSES = frozenset({S.DELIVERED, S.RETURNED})
# The statuses a courier reports; "created" is the portal's own, written when the parcel is booked.
REPORTED_STATUSES = frozenset(S) - {S.CREATED}


def moves_forward(current: str, reported: str) -> bool:
    """May a shipment at `current` take the reported status? Anything earlier or repeated is stale."""
    if current in FINAL_STATUSES:
        return False
    if reported == S.RETURNED:
        return current == S.FAILED
    return PROGRESS[reported] > PROGRESS[current]
