"""The citizen's document store: filled when a dossier completes, listed, and reused in a later dossier."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.constants import StoredDocumentKind
from dossiers.models import Attachment, DossierEvent, StoredDocument
from dossiers.services.document_store import documents_keep
from dossiers.services.review import dossier_act
from dossiers.services.submission import dossier_submit
from dossiers.store import document_reuse_counts
from figures.scope import Scope
from figures.service_index import service_index
from tests import factories
from tests.dossiers.builders import attach, make_dossier

pytestmark = pytest.mark.django_db
FROM_STORE = "/api/v1/dossiers/{}/attachments/from-store/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def web_client_for(user):
    client = Client()
    client.force_login(user)
    return client


def reuse_indicator(agency) -> float | None:
    today = timezone.localdate()
    index = service_index(scope=Scope(agency_ids=frozenset({agency.pk})), date_from=today, date_to=today)
    return next(i["value"] for g in index["groups"] for i in g["indicators"] if i["key"] == "digitised_data_reused")


@pytest.fixture
def first(db):
    """A citizen's completed dossier: its e-result and its accepted paper are in the store."""
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    return make_dossier("completed", procedure=procedure)


def test_completion_keeps_the_e_result_and_the_accepted_papers_pointing_at_the_same_files(first):
    entries = {entry.kind: entry for entry in StoredDocument.objects.filter(owner=first.applicant)}
    assert set(entries) == {StoredDocumentKind.E_RESULT, StoredDocumentKind.PAPER}
    e_result, paper = entries[StoredDocumentKind.E_RESULT], entries[StoredDocumentKind.PAPER]
    assert e_result.file.name == first.result_file.name and e_result.sha256 == first.e_result.sha256
    accepted = first.attachments.get(superseded_at__isnull=True)
    assert paper.attachment == accepted and paper.file.name == accepted.file.name
    assert paper.document_key == "to-khai" and paper.dossier == first
    # Completing twice (or a retried move) enters nothing more.
    assert documents_keep(dossier=first, now=timezone.now()) == 0
    assert StoredDocument.objects.filter(owner=first.applicant).count() == 2


def test_replaced_papers_and_dossiers_closed_without_a_result_are_not_kept():
    dossier = make_dossier("processing")
    old = dossier.attachments.get()
    new = attach(dossier, "to-khai")
    old.superseded_at = new.created_at
    old.save(update_fields=["superseded_at"])
    for action in ("assign", "forward", "approve", "hand_over"):
        dossier_act(
            dossier_id=dossier.pk, user=dossier.staff.who(action), action=action, data=dossier.staff.inputs_for(action)
        )
    kept = StoredDocument.objects.filter(owner=dossier.applicant, kind=StoredDocumentKind.PAPER)
    assert [entry.attachment_id for entry in kept] == [new.pk]
    rejected = make_dossier("rejected")
    assert not StoredDocument.objects.filter(owner=rejected.applicant).exists()


def test_the_api_lists_only_the_callers_documents_in_few_queries(first, django_assert_max_num_queries):
    for _ in range(3):
        make_dossier("completed", procedure=first.procedure, applicant=first.applicant)
    make_dossier("completed")  # someone else's
    client = client_for(first.applicant)
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/me/documents/").json()
    assert body["count"] == 8
    e_result = next(row for row in body["results"] if row["kind"] == "e_result" and row["dossier_code"] == first.code)
    assert e_result["verify_url"].endswith(f"/e-results/{first.e_result.token}/")
    assert e_result["reuse_count"] == 0 and e_result["procedure"] == first.procedure.code
    assert client.get(e_result["file_url"]).status_code == 200
    assert client_for(factories.CitizenFactory()).get(e_result["file_url"]).status_code == 404
    assert APIClient().get("/api/v1/me/documents/").status_code == 401


def test_the_store_page_lists_the_documents_and_the_menu_links_it(first, django_assert_max_num_queries):
    client = web_client_for(first.applicant)
    with django_assert_max_num_queries(12):
        page = client.get("/dossiers/documents/").content.decode()
    assert first.code in page and "Tải về" in page and "Kiểm tra chữ ký số" in page
    assert 'href="/dossiers/documents/"' in client.get("/dossiers/").content.decode()
    assert 'name="viewport"' in page


def test_a_second_dossier_reuses_a_stored_paper_and_the_counts_move(first):
    """Acceptance 4 (second half): through the API, then shown on the dossier, counted for the 766 index."""
    citizen, agency = first.applicant, first.agency
    stored = StoredDocument.objects.get(owner=citizen, kind=StoredDocumentKind.PAPER)
    second = make_dossier("draft", procedure=first.procedure, applicant=citizen, staff=first.staff)
    Attachment.objects.filter(dossier=second).delete()  # the builder attached a fresh upload; take it from the store

    before = document_reuse_counts(start=timezone.now() - timedelta(days=1), end=timezone.now() + timedelta(days=1))
    indicator_before = reuse_indicator(agency)
    response = client_for(citizen).post(
        FROM_STORE.format(second.pk), {"document": "to-khai", "stored_document": stored.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["reused_from"] == stored.pk
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert attachment.file.name == stored.file.name  # the same file, not a copy
    event = DossierEvent.objects.get(dossier=second, action="reuse_document")
    assert event.is_public and stored.name in event.public_note
    assert event.data["stored_document"] == stored.pk and event.data["source_dossier"] == first.code

    dossier_submit(dossier_id=second.pk, user=citizen)
    dossier_act(dossier_id=second.pk, user=first.staff.receiver, action="receive")
    detail = client_for(citizen).get(f"/api/v1/dossiers/{second.pk}/").json()
    assert [a["reused_from"] for a in detail["attachments"]] == [stored.pk]
    assert "Dùng lại giấy tờ từ kho dữ liệu điện tử" in [e["action_label"] for e in detail["events"]]
    citizen_page = web_client_for(citizen).get(f"/dossiers/{second.pk}/").content.decode()
    assert "Lấy từ kho dữ liệu điện tử" in citizen_page and stored.name in citizen_page
    office_page = web_client_for(first.staff.receiver).get(f"/office/dossiers/{second.pk}/").content.decode()
    assert "Lấy từ kho dữ liệu điện tử" in office_page

    after = document_reuse_counts(start=timezone.now() - timedelta(days=1), end=timezone.now() + timedelta(days=1))
    assert after[agency.pk]["reusing"] == before.get(agency.pk, {}).get("reusing", 0) + 1
    assert after[agency.pk]["reused_papers"] == 1 and after[agency.pk]["received"] == 2
    assert indicator_before == 0.0 and reuse_indicator(agency) == 0.5  # 1 of the 2 received today
    # The reused paper is not entered in the store a second time when the second dossier completes.
    for action in ("assign", "forward", "approve", "hand_over"):
        dossier_act(
            dossier_id=second.pk, user=first.staff.who(action), action=action, data=first.staff.inputs_for(action)
        )
    papers = StoredDocument.objects.filter(owner=citizen, kind=StoredDocumentKind.PAPER)
    assert papers.count() == 1
    stored_list = client_for(citizen).get("/api/v1/me/documents/").json()["results"]
    assert next(row for row in stored_list if row["id"] == stored.pk)["reuse_count"] == 1


def test_the_wizard_offers_the_store_and_the_page_shows_the_reuse(first):
    citizen = first.applicant
    e_result = StoredDocument.objects.get(owner=citizen, kind=StoredDocumentKind.E_RESULT)
    other = factories.ProcedureFactory(
        agencies=[first.agency], documents=[("giay-chung-nhan", "Bản gốc Giấy chứng nhận đã cấp", True)]
    )
    second = make_dossier("draft", procedure=other, applicant=citizen, staff=first.staff)
    client = web_client_for(citizen)
    step = client.get(f"/dossiers/{second.pk}/edit/attachments/").content.decode()
    assert 'name="stored_document"' in step and f'value="{e_result.pk}"' in step
    response = client.post(
        f"/dossiers/{second.pk}/attachments/from-store/",
        {"document": "giay-chung-nhan", "stored_document": e_result.pk},
    )
    assert response.status_code == 302
    current = second.attachments.get(superseded_at__isnull=True)
    assert current.reused_from == e_result and current.file.name == first.result_file.name
    step = client.get(f"/dossiers/{second.pk}/edit/attachments/").content.decode()
    assert "Lấy từ kho dữ liệu điện tử" in step


def test_reuse_is_refused_for_what_is_not_yours_does_not_fit_or_cannot_change(first):
    citizen = first.applicant
    stored = StoredDocument.objects.get(owner=citizen, kind=StoredDocumentKind.PAPER)
    second = make_dossier("draft", procedure=first.procedure, applicant=citizen, staff=first.staff)
    client = client_for(citizen)

    wrong_slot = client.post(
        FROM_STORE.format(second.pk), {"document": "giay-to-khac", "stored_document": stored.pk}, format="json"
    )
    assert wrong_slot.status_code == 400 and "stored_document" in wrong_slot.json()
    unknown_slot = client.post(
        FROM_STORE.format(second.pk), {"document": "x", "stored_document": stored.pk}, format="json"
    )
    assert unknown_slot.status_code == 400

    stranger = make_dossier("draft", procedure=first.procedure)
    theirs = client_for(stranger.applicant).post(
        FROM_STORE.format(stranger.pk), {"document": "to-khai", "stored_document": stored.pk}, format="json"
    )
    assert theirs.status_code == 404
    not_mine = client.post(FROM_STORE.format(stranger.pk), {"document": "to-khai", "stored_document": stored.pk})
    assert not_mine.status_code in (404, 415)

    submitted = make_dossier("submitted", procedure=first.procedure, applicant=citizen, staff=first.staff)
    late = client.post(
        FROM_STORE.format(submitted.pk), {"document": "to-khai", "stored_document": stored.pk}, format="json"
    )
    assert late.status_code == 409
    missing = client.post(
        FROM_STORE.format(second.pk), {"document": "to-khai", "stored_document": 999999}, format="json"
    )
    assert missing.status_code == 404
    assert not Attachment.objects.filter(reused_from=stored).exists()


def test_an_official_cannot_take_from_a_citizens_store(first):
    citizen = first.applicant
    stored = StoredDocument.objects.get(owner=citizen, kind=StoredDocumentKind.PAPER)
    asked = make_dossier("supplement_requested", procedure=first.procedure, applicant=citizen, staff=first.staff)
    response = client_for(first.staff.receiver).post(
        FROM_STORE.format(asked.pk), {"document": "to-khai", "stored_document": stored.pk}, format="json"
    )
    assert response.status_code == 404
    # The applicant may, while the supplement is asked for.
    response = client_for(citizen).post(
        FROM_STORE.format(asked.pk), {"document": "to-khai", "stored_document": stored.pk}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("value", ["", "abc", "²", "9" * 40])
def test_the_wizard_form_answers_odd_choices_with_a_message(first, value):
    second = make_dossier("draft", procedure=first.procedure, applicant=first.applicant, staff=first.staff)
    response = web_client_for(first.applicant).post(
        f"/dossiers/{second.pk}/attachments/from-store/", {"document": "to-khai", "stored_document": value}
    )
    assert response.status_code == 302
    assert not second.attachments.filter(reused_from__isnull=False).exists()


def test_the_api_refuses_an_id_past_the_largest_integer(first):
    second = make_dossier("draft", procedure=first.procedure, applicant=first.applicant, staff=first.staff)
    response = client_for(first.applicant).post(
        FROM_STORE.format(second.pk), {"document": "to-khai", "stored_document": 2**70}, format="json"
    )
    assert response.status_code == 400 and "stored_document" in response.json()
