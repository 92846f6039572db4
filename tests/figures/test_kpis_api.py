"""GET /api/v1/stats/kpis/: hand-counted figures of the March week (tests/figures/world.py), who may ask, bad input."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from figures.constants import TargetMetric
from figures.models import DailyRollup, Target
from figures.scope import (
    ERR_AGENCY,
    ERR_DATE,
    ERR_NO_FIGURES,
    ERR_OUTSIDE,
    ERR_PERIOD,
    ERR_TOO_EARLY,
    ERR_TOO_LATE,
)
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from procedures.constants import GovLevel
from tests import factories
from tests.figures.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/kpis/"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}

# Commune C1, counted by hand from the story in world.py.
C1_EXPECTED = {
    "received_total": 8,  # A B C D F G H K (E was rejected before it was received)
    "received_online": 5,  # A D F G K
    "received_counter": 2,  # B H
    "received_postal": 1,  # C
    "online_ratio": round(5 / 8, 6),
    "completed_total": 6,  # A B C D G H
    "completed_on_time": 4,  # A B D G
    "completed_early": 3,  # A D G
    "completed_late": 2,  # C (after the appointment), H (apology slip)
    "on_time_ratio": round(4 / 6, 6),
    # A 1, B 3, C 4, D 4 - 3 paused = 1, G 2, H 4
    "avg_processing_working_days": round(15 / 6, 6),
    "supplement_requests": 2,
    "completed_multi_supplement": 1,
    "rejected": 1,
    "refused": 1,
    "procedures_total": 4,
    "procedures_online": 3,
    "procedures_level4": 1,
    "level4_coverage": 0.25,
    "online_procedures_without_online_dossiers": 1,  # p3_idle
    "ratings_count": 2,
    "ratings_dissatisfied": 1,
    "satisfaction_average": 3.0,
    "payments_online_count": 2,
    "payments_online_amount": 270_000,
    "refunds_count": 1,
    "refunds_amount": 135_000,
}


def test_commune_figures_equal_the_hand_count(world, leader_of):
    response = leader_of(world.c1).get(URL, MARCH)

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in C1_EXPECTED} == C1_EXPECTED
    assert body["from"] == "2026-03-01" and body["to"] == "2026-03-31"
    assert body["scope"] == {"agency": None, "agencies": 1, "gov_level": "", "field": None, "procedure": None}


def test_a_province_includes_its_communes_and_nothing_outside(world, leader_of):
    body = leader_of(world.province).get(URL, MARCH).json()

    # C1 plus I at C2 (online, early, 0 working days); J in the other province is not counted.
    assert body["received_total"] == 9 and body["received_online"] == 6 and body["received_counter"] == 2
    assert body["completed_total"] == 7 and body["completed_on_time"] == 5 and body["completed_early"] == 4
    assert body["avg_processing_working_days"] == round(15 / 7, 6)
    assert body["scope"]["agencies"] == 3


def test_narrowing_by_agency_procedure_field_and_level(world, leader_of, admin_client):
    province = leader_of(world.province)
    assert province.get(URL, {**MARCH, "agency": world.c2.code}).json()["received_total"] == 1
    by_procedure = province.get(URL, {**MARCH, "procedure": world.p4.code}).json()
    assert (by_procedure["received_total"], by_procedure["payments_online_count"]) == (2, 2)
    assert by_procedure["procedures_total"] == 1 and by_procedure["level4_coverage"] == 1.0
    by_field = province.get(URL, {**MARCH, "field": world.p3.field.code}).json()
    assert by_field["received_total"] == 7  # p3's own field: A B C D H K at C1, I at C2
    communes = admin_client.get(URL, {**MARCH, "gov_level": GovLevel.COMMUNE}).json()
    assert communes["received_total"] == 9 and communes["scope"]["agencies"] == 2
    everything = admin_client.get(URL, MARCH).json()
    assert everything["received_total"] == 10  # J too


def test_a_short_period_counts_only_its_days(world, leader_of):
    body = leader_of(world.c1).get(URL, {"from": "2026-03-03", "to": "2026-03-05"}).json()
    # Received on those days: K (Wed). Completed: A (Tue), G (Wed), B (Thu). Supplement asked Wed (D).
    assert body["received_total"] == 1 and body["completed_total"] == 3 and body["completed_early"] == 2
    assert body["supplement_requests"] == 1 and body["refused"] == 1 and body["refunds_count"] == 1
    assert body["payments_online_count"] == 0 and body["ratings_count"] == 1


def test_targets_of_the_agency_come_with_progress(world, leader_of):
    Target.objects.create(agency=world.c1, year=2026, metric=TargetMetric.ONLINE_RATIO, percent=20)
    Target.objects.create(agency=world.c1, year=2026, metric=TargetMetric.ON_TIME_RATIO, percent=95)
    Target.objects.create(agency=world.c1, year=2025, metric=TargetMetric.ON_TIME_RATIO, percent=50)

    targets = leader_of(world.c1).get(URL, MARCH).json()["targets"]

    assert targets == [
        {
            "metric": "on_time_ratio",
            "label": "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "year": 2026,
            "target": 0.95,
            "actual": round(4 / 6, 6),
            "met": False,
            "progress": pytest.approx((4 / 6) / 0.95),
        },
        {
            "metric": "online_ratio",
            "label": "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
            "year": 2026,
            "target": 0.2,
            "actual": 0.625,
            "met": True,
            "progress": 1.0,
        },
    ]


def test_an_empty_period_answers_zeros_and_no_ratios(world, leader_of):
    body = leader_of(world.c1).get(URL, {"from": "2026-04-01", "to": "2026-04-30"}).json()
    assert body["received_total"] == 0 and body["online_ratio"] is None and body["on_time_ratio"] is None
    assert body["procedures_total"] == 4 and body["online_procedures_without_online_dossiers"] == 1


# --- Who may ask ---------------------------------------------------------------------------------------


def test_anonymous_is_401_and_a_citizen_or_trainer_403(world, api_client, citizen_client):
    assert api_client.get(URL).status_code == 401
    response = citizen_client.get(URL, MARCH)
    assert response.status_code == 403 and response.json()["detail"] == ERR_NO_FIGURES
    trainer = client_for(factories.make_official(role=Role.TRAINER))
    assert trainer.get(URL, MARCH).status_code == 403


def test_an_official_sees_their_agency_by_default_and_nothing_outside_its_subtree(world):
    receiver = client_for(world.staff[world.c1.pk].receiver)
    assert receiver.get(URL, MARCH).json()["received_total"] == 8
    for outside in (world.province, world.c2, world.other):
        response = receiver.get(URL, {**MARCH, "agency": outside.code})
        assert response.status_code == 403 and response.json() == {"detail": ERR_OUTSIDE, "code": "permission_denied"}


def test_a_leader_of_two_agencies_sees_both_subtrees_by_default(world):
    leader = factories.make_official(role=Role.LEADER, agency=world.c2)
    StaffRole.objects.create(user=leader, role=Role.LEADER, agency=world.other)
    body = client_for(leader).get(URL, MARCH).json()
    assert body["received_total"] == 2 and body["scope"]["agencies"] == 2 and body["targets"] == []


# --- Bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2026-13-01"}, "from", ERR_DATE),
        ({"to": "31/03/2026"}, "to", ERR_DATE),
        ({"from": "20260301"}, "from", ERR_DATE),
        ({"from": "2026-03-10", "to": "2026-03-09"}, "from", ERR_PERIOD),
        ({"agency": "000.99.99.H99"}, "agency", ERR_AGENCY),
        ({"from": "1999-12-31"}, "from", ERR_TOO_EARLY),
        ({"to": "9999-12-31"}, "to", ERR_TOO_LATE),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter_in_vietnamese(world, leader_of, params, field, message):
    response = leader_of(world.c1).get(URL, params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


@pytest.mark.parametrize("params", [{"field": "khong-co"}, {"procedure": "0.0"}, {"gov_level": "ward"}])
def test_unknown_codes_are_a_400(world, leader_of, params):
    response = leader_of(world.c1).get(URL, params)
    assert response.status_code == 400 and list(response.json()) == list(params)


def test_bad_input_is_answered_in_english_when_asked(world, leader_of):
    response = leader_of(world.c1).get(URL, {"from": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json()["from"][0].startswith("Not a valid date")


# --- Query count ---------------------------------------------------------------------------------------


def _more_agencies_with_figures(parent, count: int, procedure):
    for n in range(count):
        agency = factories.AgencyFactory(code=f"000.02.{n:02d}.H26", gov_level=GovLevel.COMMUNE, parent=parent)
        procedure.agencies.add(agency)
        DailyRollup.objects.bulk_create(
            DailyRollup(day=date(2026, 3, 1) + timedelta(days=d), agency=agency, procedure=procedure,
                        channel="online", received=1)
            for d in range(20)
        )  # fmt: skip


def test_the_query_count_does_not_grow_with_agencies_or_days(world, leader_of, django_assert_num_queries):
    client = leader_of(world.province)
    period = {"from": "2026-01-01", "to": date.today().isoformat()}  # reaches today: the live rows too
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL, period).status_code == 200
    _more_agencies_with_figures(world.province, 12, world.p3)
    with django_assert_num_queries(len(before.captured_queries)):
        body = client.get(URL, period).json()
    assert body["received_total"] == 9 + 12 * 20
    assert len(before.captured_queries) <= 25


def test_the_schema_documents_every_answer_of_the_figures_api():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/stats/kpis/", "/api/v1/stats/service-index/", "/api/v1/stats/service-index/ranking/"):
        assert set(paths[path]["get"]["responses"]) == {"200", "400", "401", "403"}, path
