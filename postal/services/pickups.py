"""Pickup requests (Decision 45/2016): the post collects a paper dossier from the applicant's home and
carries it to the agency, where the counter registers what arrives as a postal-channel dossier."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import portal.clock as clock
from dossiers.constants import IntakeChannel
from dossiers.models import Dossier
from dossiers.services.counter import dossier_register_at_counter
from portal.errors import ConflictError, NotFoundError, ServiceError, ValidationFailed
from postal.constants import ShipmentDirection, ShipmentStatus
from postal.models import Shipment, ShipmentEvent
from postal.providers.base import ParcelRequest, ProviderError, get_provider
from postal.services.outbound import ERR_COURIER, CourierUnavailable
from procedures.addresses import canonical_address, province_code_of
from procedures.constants import PostalZone
from procedures.fees import POSTAGE_BY_ZONE, postal_zone, province_of
from procedures.models import Agency, Procedure

ERR_PROCEDURE_UNKNOWN = gettext_noop("Không tìm thấy thủ tục.")
ERR_AGENCY_NOT_HANDLING = gettext_noop("Cơ quan này không giải quyết thủ tục đã chọn.")
ERR_REQUIRED = gettext_noop("Trường này là bắt buộc.")
ERR_PICKUP_UNKNOWN = gettext_noop("Không có yêu cầu thu gom với số hiệu này.")
ERR_NOT_ARRIVED = gettext_noop("Bưu gửi chưa được phát đến cơ quan.")
ERR_ALREADY_REGISTERED = gettext_noop("Hồ sơ của bưu gửi này đã được tiếp nhận.")

REQUIRED_ADDRESS = ("province", "commune", "street", "recipient", "phone")


def _procedure_and_agency(procedure_code: str, agency_code: str) -> tuple[Procedure, Agency]:
    procedure = Procedure.objects.filter(code=procedure_code, is_active=True).first()
    if procedure is None:
        raise ServiceError(_(ERR_PROCEDURE_UNKNOWN), field="procedure")
    agency = procedure.agencies.filter(code=agency_code, is_active=True).first()
    if agency is None:
        raise ServiceError(_(ERR_AGENCY_NOT_HANDLING), field="agency")
    return procedure, agency


def _clean_address(address: dict) -> dict:
    cleaned = {key: str(address.get(key, "")).strip()[:200] for key in (*REQUIRED_ADDRESS, "district")}
    errors = {key: [_(ERR_REQUIRED)] for key in REQUIRED_ADDRESS if not cleaned[key]}
    if errors:
        raise ValidationFailed(errors)
    canonical, errors = canonical_address({key: value for key, value in cleaned.items() if value})
    if errors:
        raise ValidationFailed(errors)
    return canonical


def _agency_address(agency: Agency) -> dict:
    province = province_of(agency).name
    return {
        "province": province,
        "province_code": province_code_of(province),
        "street": agency.address,
        "recipient_name": agency.name,
    }


def pickup_request(*, applicant, procedure_code: str, agency_code: str, address: dict) -> Shipment:
    """Book the courier to collect the applicant's paper dossier and carry it to the agency.

    The address (province, district optional, commune, street, recipient, phone) is where the postman
    calls; the postage is the applicant's to pay him, at the same zone rates as a result sent back.
    """
    procedure, agency = _procedure_and_agency(procedure_code, agency_code)
    home = _clean_address(address if isinstance(address, dict) else {})
    zone = postal_zone(agency=agency, province=home["province"], province_code=home["province_code"])
    shipment = Shipment(
        applicant=applicant,
        procedure=procedure,
        agency=agency,
        direction=ShipmentDirection.INBOUND,
        zone=zone,
        fee=POSTAGE_BY_ZONE[zone],
        address=home,
    )
    provider = get_provider()
    sender = ", ".join(home.get(k, "") for k in ("street", "commune", "district", "province") if home.get(k))
    request = ParcelRequest(
        reference=str(shipment.public_id),
        sender_name=home["recipient"],
        sender_address=sender[:255],
        recipient=_agency_address(agency),
        cod_amount=shipment.fee,
        same_province=zone == PostalZone.SAME_PROVINCE,
    )
    try:
        booked = provider.book(request)
    except ProviderError as exc:
        raise CourierUnavailable(_(ERR_COURIER)) from exc
    with transaction.atomic():
        shipment.tracking_number, shipment.provider = booked.tracking_number, provider.name
        shipment.cod_amount = shipment.fee
        shipment.save()
        ShipmentEvent.objects.create(
            shipment=shipment,
            event_key=f"{shipment.tracking_number}:{ShipmentStatus.CREATED}",
            status=ShipmentStatus.CREATED,
            occurred_at=clock.now(),
            location=sender[:255],
        )
    return shipment


@transaction.atomic
def pickup_register_arrival(
    *,
    official,
    tracking_number: str,
    form_data: dict | None = None,
    delivery_method: str = "counter",
    delivery_address: dict | None = None,
) -> Dossier:
    """The counter registers the paper dossier a delivered pickup brought, as a postal-channel dossier
    of the applicant who asked, and links the parcel to it."""
    shipment = (
        Shipment.objects.select_for_update(of=("self",))
        .select_related("applicant", "procedure", "agency")
        .filter(tracking_number=tracking_number, direction=ShipmentDirection.INBOUND)
        .first()
    )
    if shipment is None:
        raise NotFoundError(_(ERR_PICKUP_UNKNOWN))
    if shipment.dossier_id is not None:
        raise ConflictError(_(ERR_ALREADY_REGISTERED))
    if shipment.status != ShipmentStatus.DELIVERED:
        raise ConflictError(_(ERR_NOT_ARRIVED))
    applicant = shipment.applicant
    dossier = dossier_register_at_counter(
        official=official,
        procedure_code=shipment.procedure.code,
        agency_code=shipment.agency.code,
        channel=IntakeChannel.POSTAL,
        applicant_full_name=applicant.full_name,
        applicant_national_id=applicant.national_id or "",
        applicant_phone=applicant.phone,
        form_data=form_data,
        delivery_method=delivery_method,
        delivery_address=delivery_address,
    )
    shipment.dossier = dossier
    shipment.save(update_fields=["dossier", "updated_at"])
    return dossier
