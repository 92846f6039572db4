"""Pickup requests: the post collects a paper dossier from home; the counter registers what arrives."""

from rest_framework.test import APIClient

from dossiers.constants import DossierStatus, IntakeChannel
from portal.accounts.constants import Role
from postal.models import Shipment
from postal.providers.mockpost import simulator
from procedures.fees import POSTAGE_BY_ZONE
from tests import factories
from tests.postal.helpers import procedure_at

HOME = {
    "province": "hai phong",
    "commune": "Trần Hưng Đạo",
    "street": "12 Quang Trung",
    "recipient": "Lê Thị Hoa",
    "phone": "0987001122",
}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_pickup_request_becomes_a_postal_counter_dossier(commune, django_capture_on_commit_callbacks):
    procedure = procedure_at(commune)
    applicant = factories.CitizenFactory()
    citizen = client_for(applicant)
    body = {"procedure": procedure.code, "agency": commune.code, "address": HOME}

    booked = citizen.post("/api/v1/postal/pickups/", body, format="json")
    assert booked.status_code == 201, booked.json()
    assert booked.json()["direction"] == "inbound" and booked.json()["status"] == "created"
    assert booked.json()["address"]["province"] == "Thành phố Hải Phòng"
    assert booked.json()["fee"] == POSTAGE_BY_ZONE["same_province"]
    shipment = Shipment.objects.get(tracking_number=booked.json()["tracking_number"])
    assert shipment.dossier is None and shipment.applicant == applicant

    receiver = client_for(factories.make_official(role=Role.RECEIVER, agency=commune))
    arrivals = "/api/v1/postal/pickups/arrivals/"
    early = receiver.post(arrivals, {"tracking_number": shipment.tracking_number}, format="json")
    assert early.status_code == 409

    while shipment.status != "delivered":
        with django_capture_on_commit_callbacks(execute=True):
            simulator.parcel_step(tracking_number=shipment.tracking_number)
        shipment.refresh_from_db()

    paper = {"tracking_number": shipment.tracking_number, "form_data": {"ly_do": "Thu gom tại nhà"}}
    registered = receiver.post(arrivals, paper, format="json")
    assert registered.status_code == 201, registered.json()
    shipment.refresh_from_db()
    dossier = shipment.dossier
    assert dossier.pk == registered.json()["id"] and dossier.applicant == applicant
    assert dossier.channel == IntakeChannel.POSTAL and dossier.procedure == procedure
    assert dossier.status != DossierStatus.DRAFT and dossier.code
    again = receiver.post(arrivals, paper, format="json")
    assert again.status_code == 409


def test_a_pickup_names_the_field_that_is_wrong(commune):
    procedure = procedure_at(commune)
    citizen = client_for(factories.CitizenFactory())
    wrong_commune = {**HOME, "province": "Hà Nội"}
    response = citizen.post(
        "/api/v1/postal/pickups/",
        {"procedure": procedure.code, "agency": commune.code, "address": wrong_commune},
        format="json",
    )
    assert response.status_code == 400 and "commune" in response.json()
    other_agency = factories.AgencyFactory()
    response = citizen.post(
        "/api/v1/postal/pickups/",
        {"procedure": procedure.code, "agency": other_agency.code, "address": HOME},
        format="json",
    )
    assert response.status_code == 400 and "agency" in response.json()
