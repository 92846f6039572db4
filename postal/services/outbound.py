"""Booking the result's parcel with the courier when a dossier is shipped."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import charges, rules
from dossiers.models import Dossier, DossierEvent
from portal.errors import ServiceError
from postal.constants import ShipmentDirection, ShipmentStatus
from postal.models import Shipment, ShipmentEvent
from postal.providers.base import ParcelRequest, ProviderError, get_provider
from procedures.constants import PostalZone
from procedures.fees import postal_zone

ERR_COURIER = gettext_noop("Bưu chính tạm thời không nhận bưu gửi, vui lòng thử lại sau ít phút.")


class CourierUnavailable(ServiceError):
    status_code = 503
    default_code = "courier_unavailable"


def cod_amount_for(dossier: Dossier) -> int:
    """What the postman collects: the fee still owed, and the postage unless it was paid online."""
    return rules.fee_outstanding(dossier) + charges.postage_on_delivery(dossier)


def shipment_create_outbound(*, dossier: Dossier, event: DossierEvent) -> Shipment:
    """A dossier entered `in_delivery`: book its result with the courier (a status receiver).

    Runs inside the ship move's transaction, so a courier that refuses the booking fails the move:
    the official is told at once, and no dossier is ever in delivery with no parcel behind it.
    """
    address = dict(dossier.delivery_address or {})
    zone = postal_zone(
        agency=dossier.agency, province=address.get("province", ""), province_code=address.get("province_code")
    )
    shipment = Shipment(
        dossier=dossier,
        applicant=dossier.applicant,
        procedure=dossier.procedure,
        agency=dossier.agency,
        direction=ShipmentDirection.OUTBOUND,
        zone=zone,
        fee=charges.dossier_postage(dossier),
        cod_amount=cod_amount_for(dossier),
        address=address,
    )
    provider = get_provider()
    request = ParcelRequest(
        reference=str(shipment.public_id),
        sender_name=dossier.agency.name,
        sender_address=dossier.agency.address,
        recipient=address,
        cod_amount=shipment.cod_amount,
        same_province=zone == PostalZone.SAME_PROVINCE,
    )
    try:
        booked = provider.book(request)
    except ProviderError as exc:
        raise CourierUnavailable(_(ERR_COURIER)) from exc
    shipment.tracking_number, shipment.provider = booked.tracking_number, provider.name
    shipment.save()
    ShipmentEvent.objects.create(
        shipment=shipment,
        event_key=f"{shipment.tracking_number}:{ShipmentStatus.CREATED}",
        status=ShipmentStatus.CREATED,
        occurred_at=event.created_at,
        location=dossier.agency.name,
    )
    return shipment
