"""Acceptance through the API: results sent by post, paid online or on delivery, delivered or returned."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from payments.providers.mockpay import simulator as gateway
from portal.accounts.constants import Role
from portal.formatting import vnd
from portal.notifications.models import OutboundMessage
from postal.models import Shipment
from procedures.constants import OnlineLevel
from procedures.fees import POSTAGE_BY_ZONE
from tests import factories
from tests.dossiers.builders import PDF_BYTES
from tests.postal.helpers import FEE, HAI_DUONG, procedure_at, step

pytestmark = pytest.mark.django_db
SAME_PROVINCE = POSTAGE_BY_ZONE["same_province"]
OTHER_PROVINCE = POSTAGE_BY_ZONE["other_province"]


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class Office:
    def __init__(self, agency, dossier_id):
        officials = {
            role: factories.make_official(role=role, agency=agency)
            for role in (Role.RECEIVER, Role.PROCESSOR, Role.APPROVER)
        }
        self.clients = {role: client_for(official) for role, official in officials.items()}
        self.processor = officials[Role.PROCESSOR]
        self.dossier_id = dossier_id

    def act(self, role, action, payload=None, fmt="json") -> str:
        url = f"/api/v1/dossiers/{self.dossier_id}/actions/{action}/"
        response = self.clients[role].post(url, payload or {}, format=fmt)
        assert response.status_code == 200, (action, response.json())
        return response.json()["status"]

    def to_result_ready(self):
        assert self.act(Role.RECEIVER, "receive") == "processing"
        assert self.act(Role.RECEIVER, "assign", {"assignee": self.processor.pk}) == "processing"
        assert self.act(Role.PROCESSOR, "forward") == "awaiting_approval"
        assert self.act(Role.APPROVER, "approve", {"file": pdf("ket-qua.pdf")}, fmt="multipart") == "result_ready"


def submit_postal(citizen, procedure, agency, address) -> dict:
    draft = citizen.post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "agency": agency.code,
            "form_data": {"ly_do": "Nhận kết quả tại nhà"},
            "delivery_method": "postal",
            "delivery_address": address,
        },
        format="json",
    )
    assert draft.status_code == 201, draft.json()
    dossier_id = draft.json()["id"]
    upload = citizen.post(
        f"/api/v1/dossiers/{dossier_id}/attachments/", {"document": "to-khai", "file": pdf("to-khai.pdf")}
    )
    assert upload.status_code == 201
    submitted = citizen.post(f"/api/v1/dossiers/{dossier_id}/submit/")
    assert submitted.status_code == 200, submitted.json()
    return {"id": dossier_id, **submitted.json()}


def shipment_of(citizen, dossier_id) -> dict:
    response = citizen.get(f"/api/v1/dossiers/{dossier_id}/shipments/")
    assert response.status_code == 200
    (shipment,) = response.json()["results"]
    return shipment


def walk(shipment_row, capture, *, fail_at=None):
    """Move the parcel through the simulated post office, one step at a time."""
    shipment = Shipment.objects.get(tracking_number=shipment_row["tracking_number"])
    while shipment.status not in ("delivered", "returned"):
        step(shipment, capture, fail=shipment.status == fail_at)
    return shipment


def test_level4_postage_is_paid_online_and_delivery_completes_the_dossier(commune, django_capture_on_commit_callbacks):
    procedure = procedure_at(commune, level=OnlineLevel.LEVEL_4)
    citizen = client_for(factories.CitizenFactory())
    submitted = submit_postal(
        citizen, procedure, commune, {**HAI_DUONG, "province": "Hà Nội", "commune": "Phường Hoàn Kiếm"}
    )
    assert submitted["status"] == "awaiting_payment"
    dossier_id = submitted["id"]

    payment = citizen.post(f"/api/v1/dossiers/{dossier_id}/payments/").json()
    assert payment["amount"] == FEE + OTHER_PROVINCE
    assert payment["breakdown"]["fee"] == FEE and payment["breakdown"]["postage"] == OTHER_PROVINCE
    ref = payment["pay_url"].rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        gateway.gateway_complete(ref=ref, outcome="succeeded", method="card")
    assert citizen.get(f"/api/v1/dossiers/{dossier_id}/").json()["status"] == "submitted"

    office = Office(commune, dossier_id)
    office.to_result_ready()
    assert office.act(Role.RECEIVER, "ship") == "in_delivery"
    shipment = shipment_of(citizen, dossier_id)
    assert shipment["direction"] == "outbound" and shipment["status"] == "created"
    assert (shipment["fee"], shipment["cod_amount"]) == (OTHER_PROVINCE, 0)

    walk(shipment, django_capture_on_commit_callbacks)

    shipment = shipment_of(citizen, dossier_id)
    assert [e["status"] for e in shipment["events"]] == [
        "created",
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    assert all(e["occurred_at"] and e["location"] for e in shipment["events"])
    assert "Trung tâm khai thác chia chọn Hà Nội" in [e["location"] for e in shipment["events"]]
    detail = citizen.get(f"/api/v1/dossiers/{dossier_id}/").json()
    assert detail["status"] == "completed"
    assert detail["events"][-1]["status"] == "completed"


def test_level3_is_shipped_unpaid_and_the_postman_collects_fee_and_postage(commune, django_capture_on_commit_callbacks):
    procedure = procedure_at(commune, level=OnlineLevel.LEVEL_3)
    citizen = client_for(factories.CitizenFactory())
    submitted = submit_postal(citizen, procedure, commune, HAI_DUONG)
    assert submitted["status"] == "submitted"
    dossier_id = submitted["id"]
    office = Office(commune, dossier_id)
    office.to_result_ready()

    assert office.act(Role.RECEIVER, "ship") == "in_delivery"  # nothing paid at the counter first
    shipment = shipment_of(citizen, dossier_id)
    assert (shipment["fee"], shipment["cod_amount"]) == (SAME_PROVINCE, FEE + SAME_PROVINCE)

    walk(shipment, django_capture_on_commit_callbacks)

    detail = citizen.get(f"/api/v1/dossiers/{dossier_id}/").json()
    assert detail["status"] == "completed"
    assert (detail["amount_due"], detail["amount_paid"]) == (FEE, FEE)
    delivered = detail["events"][-1]
    assert delivered["status"] == "completed" and vnd(FEE + SAME_PROVINCE) in delivered["note"]


def test_a_failed_delivery_returns_the_result_to_the_counter_and_the_citizen_is_told(
    commune, django_capture_on_commit_callbacks
):
    procedure = procedure_at(commune, level=OnlineLevel.LEVEL_3)
    applicant = factories.CitizenFactory()
    citizen = client_for(applicant)
    dossier_id = submit_postal(citizen, procedure, commune, HAI_DUONG)["id"]
    office = Office(commune, dossier_id)
    office.to_result_ready()
    office.act(Role.RECEIVER, "ship")

    walk(shipment_of(citizen, dossier_id), django_capture_on_commit_callbacks, fail_at="out_for_delivery")

    shipment = shipment_of(citizen, dossier_id)
    assert [e["status"] for e in shipment["events"]][-2:] == ["failed", "returned"]
    detail = citizen.get(f"/api/v1/dossiers/{dossier_id}/").json()
    assert detail["status"] == "result_ready" and detail["amount_paid"] == 0
    returned = detail["events"][-1]
    assert "Số 2 Nguyễn Du" in returned["note"]
    sms = OutboundMessage.objects.filter(channel="sms", recipient=applicant.phone).latest("created_at")
    assert "hoàn trả" in sms.body and commune.name in sms.body and "Số 2 Nguyễn Du" in sms.body

    # Back at the counter: paid there, handed over.
    owed = detail["amount_due"] - detail["amount_paid"]
    assert office.act(Role.RECEIVER, "record_counter_payment", {"amount": owed}) == "result_ready"
    assert office.act(Role.RECEIVER, "hand_over") == "completed"
