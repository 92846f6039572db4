"""Every dossier list answers in a fixed number of queries however long it is (3 rows or 50), the API's
token check included (a real `Authorization: Token` header, not force_authenticate), and shows the
rows it counted."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from dossiers import selectors
from dossiers.api import serializers as io
from dossiers.api.serializers import DossierListOutput, QueueItemOutput
from dossiers.models import Dossier
from dossiers.queue_counts import queue_counts_rebuild
from tests import factories
from tests.dossiers.builders import Staff, copy_dossiers, make_dossier

pytestmark = pytest.mark.django_db

SIZES = [3, 50]
QUEUE_VIEWS = [
    {},
    {"tab": "new"},
    {"tab": "processing"},
    {"tab": "supplement"},
    {"tab": "approval"},
    {"tab": "result"},
    {"tab": "delivery"},
    {"tab": "overdue"},
    {"status": "processing"},
    {"status": "processing,result_ready"},
    {"overdue": "true"},
    {"overdue": "false"},
    {"due_soon": "true"},
    {"assignee": "me"},
    {"assignee": "none"},
]
# token; the caller's agencies; the capped count; the page; the tabs' kept counts; the overdue count
QUEUE_API_QUERIES = 6
# token; the count; the page
CITIZEN_API_QUERIES = 3


def token_client(user) -> Client:
    _, key = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def agency_with(request):
    """An agency's staff and `n` dossiers in a status (copies of one built through the services)."""
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    staff = Staff(procedure.agencies.first())

    def build(status: str, n: int, **values) -> Staff:
        template = make_dossier(status, procedure=procedure, staff=staff)
        copy_dossiers(template, n - 1, **values)
        return staff

    return build


def rows_matching(queue_view: dict, staff: Staff) -> dict:
    """Values that put every copy in the view's rows."""
    now = timezone.now()
    values = {"assignee": staff.processor if queue_view.get("assignee") == "me" else None}
    if queue_view.get("tab") == "overdue" or queue_view.get("overdue") == "true":
        values["due_at"] = now - timedelta(days=1)
    if queue_view.get("due_soon"):
        values["due_at"] = now + timedelta(hours=12)
    return values


def status_for(queue_view: dict) -> str:
    tab_status = {"new": "submitted", "supplement": "supplement_requested", "approval": "awaiting_approval"}
    tab_status |= {"result": "result_ready", "delivery": "in_delivery", "processing": "processing"}
    return tab_status.get(queue_view.get("tab"), "processing")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("queue_view", QUEUE_VIEWS, ids=lambda view: "&".join(f"{k}={v}" for k, v in view.items()))
def test_queue_api_runs_fixed_queries_for_every_tab_and_filter(
    agency_with, size, queue_view, django_assert_max_num_queries
):
    staff = agency_with("processing", size)
    rows = Dossier.objects.filter(agency=staff.agency)
    rows.update(status=status_for(queue_view), **rows_matching(queue_view, staff))
    queue_counts_rebuild()
    caller = staff.processor if queue_view.get("assignee") == "me" else staff.receiver
    client = token_client(caller)
    with django_assert_max_num_queries(QUEUE_API_QUERIES):
        body = client.get("/api/v1/queue/", {**queue_view, "page_size": 50}).json()
    assert body["count"] == size and len(body["results"]) == size
    assert set(body["results"][0]) == set(QueueItemOutput().fields)
    assert set(body["tabs"]) == {"new", "processing", "supplement", "approval", "result", "delivery", "overdue"}


@pytest.mark.parametrize("size", SIZES)
def test_queue_tab_counts_come_from_kept_counts_and_stay_exact(agency_with, size):
    staff = agency_with("processing", size)
    make_dossier("submitted", procedure=Dossier.objects.filter(agency=staff.agency).first().procedure, staff=staff)
    body = token_client(staff.receiver).get("/api/v1/queue/").json()
    assert body["tabs"]["processing"] == size and body["tabs"]["new"] == 1
    assert body["tabs"]["approval"] == body["tabs"]["supplement"] == 0


@pytest.mark.parametrize("size", SIZES)
def test_citizen_api_list_runs_fixed_queries(size, django_assert_max_num_queries):
    template = make_dossier("processing")
    copy_dossiers(template, size - 1)
    client = token_client(template.applicant)
    with django_assert_max_num_queries(CITIZEN_API_QUERIES):
        body = client.get("/api/v1/dossiers/", {"page_size": 50}).json()
    assert body["count"] == size and len(body["results"]) == size
    assert set(body["results"][0]) == set(DossierListOutput().fields)


@pytest.mark.parametrize("size", SIZES)
def test_office_queue_page_runs_fixed_queries_for_every_tab(agency_with, size, django_assert_max_num_queries):
    staff = agency_with("processing", size, assignee=None)
    client = Client()
    client.force_login(staff.receiver)
    for tab in ["", "new", "processing", "supplement", "approval", "result", "delivery", "overdue"]:
        # session, user, the desk's roles, the capped count, the page, the tabs' kept counts, overdue
        with django_assert_max_num_queries(7):
            response = client.get(reverse("office:queue"), {"tab": tab} if tab else {})
        expected = min(size, 25) if tab in ("", "processing") else 0
        assert len(response.context["rows"]) == expected


@pytest.mark.parametrize("size", SIZES)
def test_my_dossiers_page_runs_fixed_queries(size, django_assert_max_num_queries):
    template = make_dossier("processing")
    copy_dossiers(template, size - 1)
    client = Client()
    client.force_login(template.applicant)
    # session, user, the count, the page
    with django_assert_max_num_queries(4):
        response = client.get(reverse("dossiers:list"))
    assert response.context["page"].paginator.count == size


def test_the_queue_count_stops_at_the_cap_and_says_so(agency_with, settings, monkeypatch):
    monkeypatch.setattr("dossiers.api.serializers.QueuePagination.count_cap", 4)
    staff = agency_with("processing", 6)
    body = token_client(staff.receiver).get("/api/v1/queue/", {"page_size": 2}).json()
    assert body["count"] == 4 and body["count_capped"] is True and body["tabs"]["processing"] == 6
    assert token_client(staff.receiver).get("/api/v1/queue/", {"page_size": 2, "page": 3}).status_code == 404


def test_a_lookup_reads_the_dossier_and_its_public_events_only(api_client, django_assert_num_queries):
    dossier = make_dossier("processing")
    with django_assert_num_queries(2):
        body = api_client.get("/api/v1/lookup/", {"code": dossier.code, "id_last4": dossier.applicant_id_number[-4:]})
    assert [event["status"] for event in body.json()["events"]] == ["submitted", "processing"]


def test_lean_rows_say_what_the_documented_serializers_say():
    dossier = make_dossier("processing")
    dossier.assignee = dossier.staff.processor
    dossier.save(update_fields=["assignee"])
    row = selectors.queue_rows(Dossier.objects.filter(pk=dossier.pk)).get()
    now = timezone.now()
    lean = io.queue_item(row, labels=io.status_labels(), now=now)
    documented = io.QueueItemOutput(
        Dossier.objects.select_related("procedure", "agency", "assignee").get(pk=dossier.pk)
    )
    assert json.loads(json.dumps(lean)) == json.loads(json.dumps(documented.data))
    listed = io.list_item(selectors.list_rows(Dossier.objects.filter(pk=dossier.pk)).get(), labels=io.status_labels())
    assert listed == {key: value for key, value in lean.items() if key in io.DossierListOutput().fields}


def test_a_new_draft_is_answered_from_itself_not_read_back(citizen, django_assert_max_num_queries):
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], online_level=4)
    body = {"procedure": procedure.code, "agency": procedure.agencies.first().code, "form_data": {"ly_do": "Xin việc"}}
    client = token_client(citizen)
    # token; the procedure, the agency and that it handles the procedure; the insert (in a transaction)
    with django_assert_max_num_queries(7):
        response = client.post("/api/v1/dossiers/", body, content_type="application/json")
    created = response.json()
    assert response.status_code == 201 and created["status"] == "draft"
    assert created["events"] == [] and created["attachments"] == []
    assert created == client.get(f"/api/v1/dossiers/{created['id']}/").json()
