"""The courier's signed status notice: verify, then apply once and in order.

Rules, as for the gateway's notices: the signature is checked over the raw bytes before anything
is parsed, and a notice signed more than five minutes away from now is stale (400); an unknown
tracking number is refused (400, so the courier sees its mistake rather than a silent success);
a status the shipment already reached is a replay (200, no change: its event key is unique and the
shipment row is locked while it is checked); an earlier status after a later one arrived out of
order (200, no change).

Delivered completes the dossier (recording what the postman collected); returned puts the result
back at the counter and tells the applicant where to collect it.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import rules
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.services.review import dossier_act_as_system
from portal.errors import ServiceError
from portal.formatting import dong
from postal import signing
from postal.constants import REPORTED_STATUSES, ShipmentDirection, ShipmentStatus, moves_forward
from postal.models import Shipment, ShipmentEvent

logger = logging.getLogger(__name__)

ERR_SIGNATURE = gettext_noop("Chữ ký không hợp lệ.")
ERR_STALE = gettext_noop("Thông báo đã quá hạn (dấu thời gian lệch quá 5 phút).")
ERR_BODY = gettext_noop("Nội dung thông báo không phải JSON hợp lệ.")
ERR_FIELD = gettext_noop("Thiếu hoặc sai giá trị.")
ERR_UNKNOWN_SHIPMENT = gettext_noop("Không có bưu gửi với số hiệu này.")
NOTE_DELIVERED = gettext_noop("Bưu tá đã phát kết quả tại {location}.")
NOTE_COLLECTED = gettext_noop("Bưu tá đã thu của người nhận {amount}.")
NOTE_RETURNED = gettext_noop(
    "Bưu chính không phát được kết quả và đã hoàn trả về cơ quan. Mời ông/bà đến nhận kết quả tại {place}."
)

APPLIED, DUPLICATE, IGNORED = "applied", "duplicate", "ignored"


@dataclass(frozen=True)
class CourierNotice:
    tracking_number: str
    status: str
    occurred_at: datetime
    location: str

    @property
    def key(self) -> str:
        return f"{self.tracking_number}:{self.status}"


def notice_verify(*, raw_body: bytes, signature: str) -> None:
    try:
        signing.verify(raw_body, signature)
    except signing.SignatureError as exc:
        message = ERR_STALE if str(exc) == "stale" else ERR_SIGNATURE
        raise ServiceError(_(message), field="signature", code=f"signature_{exc}") from exc


def notice_parse(raw_body: bytes) -> CourierNotice:
    try:
        body = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError(_(ERR_BODY), field="body") from exc
    if not isinstance(body, dict):
        raise ServiceError(_(ERR_BODY), field="body")
    tracking_number, status = body.get("tracking_number"), body.get("status")
    occurred_at, location = body.get("occurred_at"), body.get("location", "")
    if not isinstance(tracking_number, str) or not 0 < len(tracking_number) <= 32:
        raise ServiceError(_(ERR_FIELD), field="tracking_number")
    if status not in REPORTED_STATUSES:
        raise ServiceError(_(ERR_FIELD), field="status")
    try:
        when = parse_datetime(occurred_at) if isinstance(occurred_at, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ServiceError(_(ERR_FIELD), field="occurred_at")
    if not isinstance(location, str) or len(location) > 255:
        raise ServiceError(_(ERR_FIELD), field="location")
    return CourierNotice(tracking_number=tracking_number, status=status, occurred_at=when, location=location)


def shipment_notice_receive(*, raw_body: bytes, signature: str) -> str:
    """Verify and apply one notice; returns applied, duplicate or ignored (all answered 200)."""
    notice_verify(raw_body=raw_body, signature=signature)
    return _apply(notice_parse(raw_body))


@transaction.atomic
def _apply(notice: CourierNotice) -> str:
    shipment = Shipment.objects.select_for_update().filter(tracking_number=notice.tracking_number).first()
    if shipment is None:
        raise ServiceError(_(ERR_UNKNOWN_SHIPMENT), field="tracking_number", code="unknown_tracking_number")
    if ShipmentEvent.objects.filter(event_key=notice.key).exists():
        return DUPLICATE
    if not moves_forward(shipment.status, notice.status):
        logger.info("Courier notice %s arrived after %s: left as it is", notice.key, shipment.status)
        return IGNORED
    try:
        with transaction.atomic():
            ShipmentEvent.objects.create(
                shipment=shipment,
                event_key=notice.key,
                status=notice.status,
                occurred_at=notice.occurred_at,
                location=notice.location,
            )
    except IntegrityError:
        return DUPLICATE  # the unique key caught a copy the lock did not
    shipment.status = notice.status
    shipment.save(update_fields=["status", "updated_at"])
    _move_dossier(shipment, notice)
    return APPLIED


def _move_dossier(shipment: Shipment, notice: CourierNotice) -> None:
    """The two outcomes that concern the dossier; the steps between are the shipment's own."""
    dossier = shipment.dossier
    if dossier is None or shipment.direction != ShipmentDirection.OUTBOUND:
        return  # a pickup on its way in: the counter registers its dossier when it arrives
    if notice.status not in (ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED):
        return
    if dossier.status != DossierStatus.IN_DELIVERY:
        # Shipped again after a return, say: this parcel no longer carries the dossier's result.
        logger.warning("Shipment %s %s but dossier %s is %s", shipment.pk, notice.status, dossier.pk, dossier.status)
        return
    if notice.status == ShipmentStatus.DELIVERED:
        _deliver(dossier, shipment, notice)
    else:
        _return_to_counter(dossier)


def _deliver(dossier: Dossier, shipment: Shipment, notice: CourierNotice) -> None:
    """The fee still owed was part of what the postman collected: it is recorded as paid (the postage
    he also collected at level 3 is the post office's own)."""
    owed = rules.fee_outstanding(dossier)
    note = _(NOTE_DELIVERED).format(location=notice.location or "—")
    if shipment.cod_amount:
        note = f"{note} {_(NOTE_COLLECTED).format(amount=dong(shipment.cod_amount))}"
    dossier_act_as_system(dossier_id=dossier.pk, action="deliver", note=note, amount=owed or None)


def _return_to_counter(dossier: Dossier) -> None:
    agency = dossier.agency
    place = f"{agency.name}, {agency.address}" if agency.address else agency.name
    dossier_act_as_system(dossier_id=dossier.pk, action="return_to_sender", note=_(NOTE_RETURNED).format(place=place))
