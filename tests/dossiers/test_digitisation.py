"""Digitisation at the counter: scans of a paper dossier's papers added after registration, marked
digitised, shown on the dossier's page and counted by the selector, the rollups, the KPIs and the
Decision 766 index."""

import importlib
from datetime import datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers import selectors
from dossiers.constants import IntakeChannel
from dossiers.models import Attachment, Dossier
from dossiers.services.counter import dossier_register_at_counter
from dossiers.services.review import dossier_act
from figures.models import DailyRollup
from portal.accounts.constants import Role
from procedures.calendar import office_time_zone
from tests import factories
from tests.dossiers.builders import Staff, make_dossier
from tests.dossiers.files import pdf_bytes

pytestmark = pytest.mark.django_db

PAPERS = [
    ("to-khai", "Tờ khai", True),
    ("ban-sao-cccd", "Bản sao căn cước", True),
    ("uy-quyen", "Giấy ủy quyền", False),
]


@pytest.fixture
def counter():
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], documents=PAPERS)
    staff = Staff(procedure.agencies.first())

    def register(channel=IntakeChannel.COUNTER) -> Dossier:
        return dossier_register_at_counter(
            official=staff.receiver,
            procedure_code=procedure.code,
            agency_code=staff.agency.code,
            channel=channel,
            applicant_full_name="Trần Văn Giấy",
            applicant_national_id=f"0301{factories.CitizenFactory._meta.model.objects.count():08d}",
            applicant_phone=f"09120{factories.CitizenFactory._meta.model.objects.count():05d}",
            form_data={"ly_do": "Nộp tại quầy"},
        )

    register.procedure, register.staff = procedure, staff
    return register


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def scan(user, dossier, document, *, digitised=None):
    data = {"document": document, "file": SimpleUploadedFile("scan.pdf", pdf_bytes())}
    if digitised is not None:
        data["digitised"] = digitised
    return api(user).post(f"/api/v1/dossiers/{dossier.pk}/attachments/", data, format="multipart")


def counts(dossier, day=None):
    day = day or timezone.localdate()
    return selectors.digitised_dossier_counts(agency_id=dossier.agency_id, date_from=day, date_to=day)


def test_a_counter_dossier_takes_scans_after_registration_and_counts_once_every_paper_is_digitised(counter):
    dossier = counter()
    receiver = counter.staff.receiver
    assert dossier.status == "processing" and dossier.received_at is not None
    assert counts(dossier) == {"received": 1, "digitised": 0}

    response = scan(receiver, dossier, "to-khai", digitised=True)
    assert response.status_code == 201, response.json()  # was 409 once the dossier was registered
    assert response.json()["digitised"] is True
    assert counts(dossier)["digitised"] == 0  # a mandatory paper has no copy yet

    unchecked = scan(receiver, dossier, "ban-sao-cccd")
    assert unchecked.status_code == 201 and unchecked.json()["digitised"] is False
    assert counts(dossier)["digitised"] == 0  # scanned, not yet checked against the paper

    marked = api(receiver).post(
        f"/api/v1/dossiers/{dossier.pk}/attachments/{unchecked.json()['id']}/digitised/", format="json"
    )
    assert marked.status_code == 200 and marked.json()["digitised"] is True
    assert counts(dossier) == {"received": 1, "digitised": 1}
    assert Dossier.objects.filter(selectors.dossier_digitised_q()).get() == dossier
    assert dossier.events.filter(action="digitise", is_public=False).count() == 1

    # An optional paper scanned but not checked makes the dossier not digitised again, until it is.
    optional = scan(receiver, dossier, "uy-quyen", digitised=False)
    assert counts(dossier)["digitised"] == 0
    api(receiver).post(f"/api/v1/dossiers/{dossier.pk}/attachments/{optional.json()['id']}/digitised/")
    assert counts(dossier)["digitised"] == 1


def test_a_postal_dossier_registered_at_the_counter_takes_scans_too(counter):
    dossier = counter(channel=IntakeChannel.POSTAL)
    for key in ("to-khai", "ban-sao-cccd"):
        assert scan(counter.staff.receiver, dossier, key, digitised=True).status_code == 201
    assert counts(dossier) == {"received": 1, "digitised": 1}


def test_no_scans_once_the_dossier_is_closed_nor_on_online_dossiers(counter):
    dossier = counter()
    staff = counter.staff
    for action in ("assign", "forward", "approve", "hand_over"):
        dossier_act(dossier_id=dossier.pk, user=staff.who(action), action=action, data=staff.inputs_for(action))
    response = scan(staff.receiver, dossier, "to-khai", digitised=True)
    assert response.status_code == 409
    online = make_dossier("processing", procedure=counter.procedure, staff=staff)
    assert scan(staff.receiver, online, "to-khai", digitised=True).status_code == 404
    # Another agency's receiver does not see the paper dossier.
    stranger = factories.make_official(role=Role.RECEIVER)
    assert scan(stranger, counter(), "to-khai").status_code == 404


def test_the_applicants_online_files_are_digitised_as_they_arrive(counter):
    dossier = make_dossier("processing", procedure=counter.procedure, staff=counter.staff)
    assert all(a.is_digitised for a in Attachment.objects.filter(dossier=dossier))
    assert counts(dossier) == {"received": 1, "digitised": 1}


def test_a_scan_added_days_later_moves_the_figures_of_the_day_the_dossier_was_received(
    counter, django_capture_on_commit_callbacks
):
    registered_at = timezone.localtime() - timedelta(days=2)
    with time_machine.travel(registered_at, tick=False), django_capture_on_commit_callbacks(execute=True):
        dossier = counter()
    day = dossier.received_at.astimezone(office_time_zone()).date()

    def rollup():
        rows = DailyRollup.objects.filter(agency_id=dossier.agency_id, day=day)
        return rows.aggregate(received=Sum("received"), digitised=Sum("received_digitised"))

    leader = factories.make_official(role=Role.LEADER, agency=dossier.agency)
    query = {"from": day.isoformat(), "to": day.isoformat(), "agency": dossier.agency.code}

    def index_value():
        body = api(leader).get("/api/v1/stats/service-index/", query).json()
        group = next(g for g in body["groups"] if g["key"] == "digitisation")
        return next(i for i in group["indicators"] if i["key"] == "digitised_dossiers")

    def kpis():
        return api(leader).get("/api/v1/stats/kpis/", query).json()

    assert rollup() == {"received": 1, "digitised": 0}
    before = index_value()
    assert before["measurable"] is True and before["value"] == 0 and before["points"] == 0
    assert (kpis()["received_digitised"], kpis()["digitised_ratio"]) == (0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        for key in ("to-khai", "ban-sao-cccd"):
            assert scan(counter.staff.receiver, dossier, key, digitised=True).status_code == 201

    assert rollup() == {"received": 1, "digitised": 1}
    after = index_value()
    assert after["value"] == 1.0 and after["points"] == after["max_points"]
    assert (kpis()["received_digitised"], kpis()["digitised_ratio"]) == (1, 1.0)
    assert counts(dossier, day) == {"received": 1, "digitised": 1}


# --- The dossier's page ------------------------------------------------------------------------------


def page_of(user, dossier) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("office:detail", args=[dossier.pk])).content.decode()


def test_the_office_page_shows_each_papers_digitisation_and_takes_scans(counter):
    dossier = counter()
    receiver = counter.staff.receiver
    page = page_of(receiver, dossier)
    assert "Số hóa thành phần hồ sơ" in page and "Hồ sơ chưa số hóa đủ" in page
    assert page.count("Chưa có bản điện tử") == 3
    assert reverse("office:scan_add", args=[dossier.pk]) in page

    client = Client()
    client.force_login(receiver)
    for key, digitised in (("to-khai", "on"), ("ban-sao-cccd", "")):
        data = {"document": key, "file": SimpleUploadedFile("scan.pdf", pdf_bytes())}
        if digitised:
            data["digitised"] = digitised
        response = client.post(reverse("office:scan_add", args=[dossier.pk]), data)
        assert response.status_code == 302 and response["Location"].endswith("#so-hoa")
    unchecked = Attachment.objects.get(dossier=dossier, document__key="ban-sao-cccd")
    page = page_of(receiver, dossier)
    assert "Có bản quét, chưa xác nhận số hóa" in page
    mark = reverse("office:scan_digitised", args=[dossier.pk, unchecked.pk])
    assert mark in page
    assert client.post(mark).status_code == 302
    page = page_of(receiver, dossier)
    assert page.count("Đã số hóa") >= 2 and "Hồ sơ đã được số hóa" in page


def test_an_online_dossiers_page_offers_no_scan_form(counter):
    dossier = make_dossier("processing", procedure=counter.procedure, staff=counter.staff)
    page = page_of(counter.staff.receiver, dossier)
    assert reverse("office:scan_add", args=[dossier.pk]) not in page and "Hồ sơ đã được số hóa" in page


def test_counts_cover_the_days_asked_in_office_time(counter):
    dossier = counter()
    day = dossier.received_at.astimezone(office_time_zone()).date()
    assert counts(dossier, day - timedelta(days=1)) == {"received": 0, "digitised": 0}
    assert selectors.digitised_dossier_counts(
        agency_id=dossier.agency_id, date_from=day - timedelta(days=3), date_to=day
    ) == {"received": 1, "digitised": 0}
    assert isinstance(dossier.received_at, datetime)


def test_the_migration_stamps_files_applicants_sent_before_digitisation_was_recorded(counter):
    migration = importlib.import_module("dossiers.migrations.0009_attachment_digitised")
    online = make_dossier("processing", procedure=counter.procedure, staff=counter.staff)
    paper = counter()
    scan(counter.staff.receiver, paper, "to-khai", digitised=True)
    Attachment.objects.update(digitised_at=None, digitised_by=None)

    migration.stamp_applicant_uploads(apps, None)

    for attachment in Attachment.objects.filter(dossier=online):
        assert (attachment.digitised_at, attachment.digitised_by) == (attachment.created_at, online.applicant)
    assert Attachment.objects.get(dossier=paper).digitised_at is None  # a scan is checked by a person, not assumed


def test_the_applicant_sees_which_papers_are_digitised(counter):
    dossier = counter()
    scan(counter.staff.receiver, dossier, "to-khai", digitised=True)
    scan(counter.staff.receiver, dossier, "ban-sao-cccd", digitised=False)
    client = Client()
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert page.count('class="badge badge-digitised"') == 1
