import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from procedures.constants import OnlineLevel
from tests import factories
from tests.dossiers.builders import PDF_BYTES, Staff, attach, make_dossier

pytestmark = pytest.mark.django_db


def draft_with_upload(client, procedure):
    """A draft created through the API with its mandatory paper uploaded: (draft body, upload response)."""
    created = client.post(
        "/api/v1/dossiers/",
        {"procedure": procedure.code, "agency": procedure.agencies.first().code, "form_data": {"ly_do": "x"}},
        format="json",
    ).json()
    upload = SimpleUploadedFile("to-khai.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        f"/api/v1/dossiers/{created['id']}/attachments/", {"document": "to-khai", "file": upload}, format="multipart"
    )
    return created, response


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_draft_then_submit(procedure, citizen_client, citizen):
    response = citizen_client.post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "agency": procedure.agencies.first().code,
            "form_data": {"ly_do": "Xin việc làm"},
            "delivery_method": "online",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["id"]

    missing = citizen_client.post(f"/api/v1/dossiers/{body['id']}/submit/")
    assert missing.status_code == 400 and "attachments" in missing.json()

    from dossiers.models import Dossier

    attach(Dossier.objects.get(pk=body["id"]), "to-khai")
    submitted = citizen_client.post(f"/api/v1/dossiers/{body['id']}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["code"].endswith("-0001")


def test_create_with_bad_form_data_names_the_field(procedure, citizen_client):
    response = citizen_client.post(
        "/api/v1/dossiers/",
        {"procedure": procedure.code, "agency": procedure.agencies.first().code, "form_data": {}},
        format="json",
    )
    assert response.status_code == 400
    assert "ly_do" in response.json()["form_data"]


def test_unauthenticated_is_401(api_client):
    assert api_client.get("/api/v1/dossiers/").status_code == 401


def test_detail_shows_public_timeline_to_applicant():
    dossier = make_dossier("processing")
    body = client_for(dossier.applicant).get(f"/api/v1/dossiers/{dossier.pk}/").json()
    for key in ("code", "status", "status_label", "due_at", "amount_due", "events"):
        assert key in body
    assert body["status_label"] == "Đang xử lý"
    assert [e["status"] for e in body["events"]] == ["submitted", "processing"]
    assert "internal_note" not in body["events"][0]


def test_access_rules():
    dossier = make_dossier("submitted")
    outsider = factories.CitizenFactory()
    other_receiver = factories.make_official(role="receiver")
    assert client_for(outsider).get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 404
    assert client_for(other_receiver).get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 404
    url = f"/api/v1/dossiers/{dossier.pk}/actions/receive/"
    assert client_for(other_receiver).post(url).status_code == 404
    assert client_for(dossier.applicant).post(url).status_code == 403
    assert client_for(dossier.staff.receiver).post(url).status_code == 200
    assert client_for(dossier.staff.receiver).post(url).status_code == 409


def test_official_journey_through_the_action_api():
    dossier = make_dossier("submitted")
    staff = dossier.staff
    base = f"/api/v1/dossiers/{dossier.pk}/actions"
    assert client_for(staff.receiver).post(f"{base}/receive/").json()["status"] == "processing"
    response = client_for(staff.receiver).post(f"{base}/assign/", {"assignee": staff.processor.pk}, format="json")
    assert response.status_code == 200
    assert client_for(staff.processor).post(f"{base}/forward/", {"note": "Đủ điều kiện"}).json()["status"] == (
        "awaiting_approval"
    )
    no_file = client_for(staff.approver).post(f"{base}/approve/")
    assert no_file.status_code == 400 and "file" in no_file.json()
    result = SimpleUploadedFile("kq.pdf", PDF_BYTES, content_type="application/pdf")
    approved = client_for(staff.approver).post(f"{base}/approve/", {"file": result}, format="multipart")
    assert approved.json()["status"] == "result_ready"
    assert client_for(staff.receiver).post(f"{base}/hand_over/").json()["status"] == "completed"

    rate = client_for(dossier.applicant).post(f"/api/v1/dossiers/{dossier.pk}/rating/", {"score": 5}, format="json")
    assert rate.status_code == 201
    again = client_for(dossier.applicant).post(f"/api/v1/dossiers/{dossier.pk}/rating/", {"score": 4}, format="json")
    assert again.status_code == 409


def test_rating_only_when_completed():
    dossier = make_dossier("processing")
    response = client_for(dossier.applicant).post(f"/api/v1/dossiers/{dossier.pk}/rating/", {"score": 5}, format="json")
    assert response.status_code == 409


def test_supplement_and_withdraw():
    dossier = make_dossier("supplement_requested")
    client = client_for(dossier.applicant)
    assert client.post(f"/api/v1/dossiers/{dossier.pk}/supplement/", {"note": "Đã bổ sung"}).json()["status"] == (
        "processing"
    )
    other = make_dossier("submitted")
    no_reason = client_for(other.applicant).post(f"/api/v1/dossiers/{other.pk}/withdraw/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    withdrawn = client_for(other.applicant).post(
        f"/api/v1/dossiers/{other.pk}/withdraw/", {"reason": "Nộp nhầm"}, format="json"
    )
    assert withdrawn.json()["status"] == "withdrawn"


def test_unknown_action_is_404():
    dossier = make_dossier("submitted")
    assert client_for(dossier.staff.receiver).post(f"/api/v1/dossiers/{dossier.pk}/actions/explode/").status_code == 404


def test_public_lookup_needs_the_second_factor(api_client):
    dossier = make_dossier("processing")
    last4 = dossier.applicant.national_id[-4:]
    ok = api_client.get("/api/v1/lookup/", {"code": dossier.code, "id_last4": last4})
    assert ok.status_code == 200
    body = ok.json()
    assert set(body) == {"code", "procedure", "status", "status_label", "received_at", "due_at", "events"}
    assert dossier.applicant.full_name not in str(body) and dossier.applicant.phone not in str(body)
    wrong = "0000" if last4 != "0000" else "1111"
    assert api_client.get("/api/v1/lookup/", {"code": dossier.code, "id_last4": wrong}).status_code == 404
    assert api_client.get("/api/v1/lookup/", {"code": "nope", "id_last4": last4}).status_code == 404


def test_queue_lists_only_own_agency_oldest_due_first_with_bounded_queries(django_assert_max_num_queries):
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    staff = Staff(procedure.agencies.first())
    for _ in range(3):
        make_dossier("processing", procedure=procedure, staff=staff)
    make_dossier("submitted")  # another agency
    client = client_for(staff.receiver)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/queue/").json()
    assert body["count"] == 3
    dues = [item["due_at"] for item in body["results"]]
    assert dues == sorted(dues)
    for _ in range(12):
        make_dossier("submitted", procedure=procedure, staff=staff)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/queue/", {"page_size": 50}).json()
    assert body["count"] == 15
    assert client.get("/api/v1/queue/", {"tab": "new"}).json()["count"] == 12


def test_queue_is_for_officials_only(citizen_client):
    assert citizen_client.get("/api/v1/queue/").status_code == 403


def test_counter_intake_receives_at_once(agency):
    procedure = factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_2)
    receiver = factories.make_official(role="receiver", agency=agency)
    response = client_for(receiver).post(
        "/api/v1/counter/dossiers/",
        {
            "procedure": procedure.code,
            "agency": agency.code,
            "channel": "counter",
            "form_data": {"ly_do": "Nộp thay người cao tuổi"},
            "applicant_full_name": "Trần Thị Bà",
            "applicant_national_id": "030150001234",
            "applicant_phone": "0912000111",
            "on_behalf_note": "Người cao tuổi",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "processing" and body["channel"] == "counter" and body["due_at"]


def test_counter_intake_refused_to_non_receivers(agency, citizen_client, procedure):
    response = citizen_client.post(
        "/api/v1/counter/dossiers/",
        {
            "procedure": procedure.code,
            "agency": procedure.agencies.first().code,
            "channel": "counter",
            "applicant_full_name": "A",
            "applicant_national_id": "030150001234",
            "applicant_phone": "0912000111",
        },
        format="json",
    )
    assert response.status_code == 403


def test_approve_rejects_a_result_that_is_not_a_real_pdf():
    dossier = make_dossier("awaiting_approval")
    fake = SimpleUploadedFile("kq.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(dossier.staff.approver).post(
        f"/api/v1/dossiers/{dossier.pk}/actions/approve/", {"file": fake}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_approval" and not dossier.result_file


def test_officials_do_not_see_unsent_drafts():
    dossier = make_dossier("draft")
    assert client_for(dossier.staff.receiver).get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 404
    assert client_for(dossier.applicant).get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 200


def test_attachment_upload_through_the_api(procedure, citizen_client, citizen):
    created, response = draft_with_upload(citizen_client, procedure)
    assert response.status_code == 201, response.json()
    assert citizen_client.post(f"/api/v1/dossiers/{created['id']}/submit/").json()["status"] == "submitted"


def test_timeline_labels_follow_the_resulting_status():
    dossier = make_dossier("submitted")
    events = client_for(dossier.applicant).get(f"/api/v1/dossiers/{dossier.pk}/").json()["events"]
    assert events[0]["action_label"] == "Nộp hồ sơ"


def test_apology_slip_through_the_api_moves_the_appointment():
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=hcm), tick=False):
        dossier = make_dossier("processing")
    late = dossier.due_at + timedelta(days=1)
    with time_machine.travel(late, tick=False):
        response = client_for(dossier.staff.receiver).post(
            f"/api/v1/dossiers/{dossier.pk}/actions/issue_apology/",
            {"reason": "Cần xác minh thêm", "new_due_at": "2026-12-01"},
            format="json",
        )
    assert response.status_code == 200, response.json()
    dossier.refresh_from_db()
    assert dossier.due_at.astimezone(hcm).date().isoformat() == "2026-12-01"


def test_attaching_a_paper_is_audited_but_not_on_the_public_timeline(procedure, citizen_client, citizen):
    created, _ = draft_with_upload(citizen_client, procedure)
    citizen_client.post(f"/api/v1/dossiers/{created['id']}/submit/")
    from dossiers.models import DossierEvent

    audit = DossierEvent.objects.get(dossier_id=created["id"], action="attach")
    assert (audit.actor, audit.is_public, audit.data["document"]) == (citizen, False, "to-khai")
    public = citizen_client.get(f"/api/v1/dossiers/{created['id']}/").json()["events"]
    assert [event["action"] for event in public] == ["submit"]
    receiver = factories.make_official(role="receiver", agency=procedure.agencies.first())
    internal = client_for(receiver).get(f"/api/v1/dossiers/{created['id']}/").json()["events"]
    assert [(event["action"], event["action_label"]) for event in internal] == [
        ("attach", "Đính kèm giấy tờ"),
        ("submit", "Nộp hồ sơ"),
    ]


def test_counter_registration_is_not_an_api_action():
    dossier = make_dossier("draft")
    response = client_for(dossier.staff.receiver).post(f"/api/v1/dossiers/{dossier.pk}/actions/register_at_counter/")
    assert response.status_code == 404
