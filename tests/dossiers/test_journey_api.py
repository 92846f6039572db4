"""Acceptance: the whole journey through the public API only, as a client would drive it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from portal.accounts.constants import Role
from portal.notifications.models import OutboundMessage
from tests import factories
from tests.dossiers.builders import PDF_BYTES

pytestmark = pytest.mark.django_db


def login(phone_or_id: str, password: str) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/login/", {"username": phone_or_id, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_register_submit_process_deliver_and_rate(django_capture_on_commit_callbacks):
    agency = factories.AgencyFactory()
    procedure = factories.ProcedureFactory(agencies=[agency])
    officials = {
        role: factories.make_official(role=role, agency=agency)
        for role in (Role.RECEIVER, Role.PROCESSOR, Role.APPROVER)
    }
    anonymous = APIClient()

    # Register and verify the phone with the OTP the SMS simulator sent.
    with django_capture_on_commit_callbacks(execute=True):
        registered = anonymous.post(
            "/api/v1/auth/register/",
            {"full_name": "Lê Thị Hoa", "phone": "0987001122", "national_id": "030195004321", "password": "Hoa@2026!x"},
            format="json",
        )
    assert registered.status_code == 201, registered.json()
    sms = OutboundMessage.objects.filter(recipient="0987001122").latest("created_at")
    otp = re.search(r"\b(\d{6})\b", sms.body).group(1)
    assert anonymous.post("/api/v1/auth/verify-phone/", {"phone": "0987001122", "otp": otp}).status_code == 200
    citizen = login("030195004321", "Hoa@2026!x")

    # Draft, attach, submit.
    draft = citizen.post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "agency": agency.code,
            "form_data": {"ly_do": "Xin việc"},
            "delivery_method": "online",
        },
        format="json",
    ).json()
    dossier_id = draft["id"]
    upload = citizen.post(
        f"/api/v1/dossiers/{dossier_id}/attachments/",
        {"document": "to-khai", "file": pdf("to-khai.pdf")},
        format="multipart",
    )
    assert upload.status_code == 201
    submitted = citizen.post(f"/api/v1/dossiers/{dossier_id}/submit/").json()
    assert submitted["status"] == "submitted"

    def act(role, action, payload=None, fmt="json"):
        client = APIClient()
        client.force_authenticate(officials[role])
        response = client.post(f"/api/v1/dossiers/{dossier_id}/actions/{action}/", payload or {}, format=fmt)
        assert response.status_code == 200, (action, response.json())
        return response.json()["status"]

    assert act(Role.RECEIVER, "receive") == "processing"
    assert act(Role.RECEIVER, "request_supplement", {"reason": "Bổ sung bản sao CCCD"}) == "supplement_requested"
    citizen.post(
        f"/api/v1/dossiers/{dossier_id}/attachments/",
        {"document": "giay-to-khac", "file": pdf("cccd.pdf")},
        format="multipart",
    )
    supplemented = citizen.post(f"/api/v1/dossiers/{dossier_id}/supplement/", {"note": "Đã bổ sung"}, format="json")
    assert supplemented.json()["status"] == "processing"
    assert act(Role.RECEIVER, "assign", {"assignee": officials[Role.PROCESSOR].pk}) == "processing"
    assert act(Role.PROCESSOR, "forward", {"note": "Đủ điều kiện"}) == "awaiting_approval"
    assert act(Role.APPROVER, "approve", {"file": pdf("ket-qua.pdf")}, fmt="multipart") == "result_ready"
    assert act(Role.RECEIVER, "hand_over") == "completed"

    detail = citizen.get(f"/api/v1/dossiers/{dossier_id}/").json()
    assert detail["status"] == "completed" and detail["status_label"] == "Đã hoàn thành"
    assert [e["status"] for e in detail["events"]] == [
        "submitted",
        "processing",
        "supplement_requested",
        "processing",
        "processing",
        "awaiting_approval",
        "result_ready",
        "completed",
    ]
    assert citizen.post(f"/api/v1/dossiers/{dossier_id}/rating/", {"score": 5, "comment": "Nhanh"}).status_code == 201
    # By SMS only what the citizen acts on or waits for: received, supplement asked, result ready.
    texts = OutboundMessage.objects.filter(recipient="0987001122", body__contains=submitted["code"])
    assert texts.count() == 3
    # Every public step is an in-app notice; assignment and forwarding stay on the timeline.
    assert OutboundMessage.objects.filter(channel="app", body__contains=submitted["code"]).count() == 6
