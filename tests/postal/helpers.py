"""Helpers for postal tests: an agency in a province, postal dossiers shipped through the services, notices."""

import json

from django.utils import timezone

from dossiers.services.review import dossier_act
from postal import signing
from postal.models import Shipment
from postal.providers.mockpost import simulator
from procedures.constants import GovLevel, OnlineLevel
from tests import factories
from tests.dossiers.builders import make_dossier

FEE = 50_000
HAI_DUONG = {
    "province": "Hải Phòng",
    "commune": "Phường Trần Hưng Đạo",
    "street": "1 Quang Trung",
    "recipient_name": "Lê Thị Hoa",
    "recipient_phone": "0987001122",
}


def commune_of_hai_duong():
    province = factories.AgencyFactory(
        code="000.00.00.H26", name="UBND thành phố Hải Phòng", gov_level=GovLevel.PROVINCE
    )
    return factories.AgencyFactory(parent=province, address="Số 2 Nguyễn Du, phường Trần Hưng Đạo")


def procedure_at(agency, *, level=OnlineLevel.LEVEL_3, fee=FEE):
    return factories.ProcedureFactory(agencies=[agency], online_level=level, fee=fee)


def shipped(procedure) -> Shipment:
    """A postal dossier with its result, shipped by the receiver: the shipment the ship move booked."""
    dossier = make_dossier("result_ready", procedure=procedure, delivery_method="postal")
    dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="ship")
    return Shipment.objects.get(dossier=dossier)


def notice_bytes(shipment: Shipment, status: str, *, location="Bưu cục phát Trần Hưng Đạo", occurred_at=None) -> bytes:
    body = {
        "tracking_number": shipment.tracking_number,
        "status": status,
        "occurred_at": (occurred_at or timezone.now()).isoformat(),
        "location": location,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def post_notice(client, body: bytes, *, signature: str | None = None, timestamp: int | None = None):
    header = signature if signature is not None else signing.sign(body, timestamp=timestamp)
    return client.post("/api/v1/postal/webhook/", data=body, content_type="application/json", HTTP_X_SIGNATURE=header)


def step(shipment: Shipment, capture, *, fail: bool = False):
    """Push the parcel one step on the simulated post office, its notice delivered to the portal."""
    with capture(execute=True):
        simulator.parcel_step(tracking_number=shipment.tracking_number, fail=fail)
    shipment.refresh_from_db()
    shipment.dossier.refresh_from_db()
    return shipment
