"""The Decision 766 index: each computed sub-indicator of the March week, counted by hand; the API; the ranking."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from figures.models import DailyRollup
from figures.scope import ERR_GOV_LEVEL_REQUIRED
from figures.service_index import GROUPS
from procedures.constants import GovLevel
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/service-index/"
RANKING_URL = "/api/v1/stats/service-index/ranking/"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}

# Commune C1 (tests/figures/world.py): 8 received (5 online, 2 with a fee, 5 with attachments), 6 completed
# (2 late, and D early but with two supplement requests: 3 late for Decision 766), 15 of 18 allowed working
# days, 2 online payments, 6 e-results, 1 dissatisfied rating. Catalog: p3 (published in full), p4 (level 4,
# the only one with a fee), p2 (level 2), p3_idle; p3 and p4 received online dossiers.
C1_VALUES = {
    "published_fully": 0.25,
    "published_on_time": None,
    "national_sync": None,
    "on_time": 0.5,  # (6 - 3) / 6
    "processing_time": round(15 / 18, 6),
    "procedures_online": 0.75,
    "online_procedures_used": round(2 / 3, 6),
    "online_submission": 0.625,
    "procedures_payable_online": 1.0,
    "dossiers_paid_online": 1.0,
    "e_results": 1.0,
    "digitised_dossiers": 0.625,
    "digitised_data_reused": 0.0,  # none of the 8 took a paper from the document store
    "satisfaction_in_processing": round((6 - 3 - 1) / 6, 6),
    "complaints_on_time": None,
    "complaints_satisfaction": None,
}
C1_POINTS = {
    "published_fully": 1.5,
    "on_time": 8.0,
    "processing_time": 4.0,  # within the allowed time
    "procedures_online": 3.75,  # 0.75 of the 80% that earns full marks
    "online_procedures_used": 2.67,
    "online_submission": 4.0,  # past 50%
    "procedures_payable_online": 5.0,
    "dossiers_paid_online": 5.0,
    "e_results": 8.0,
    "digitised_dossiers": 6.25,  # 0.625 of 80%
    "digitised_data_reused": 0.0,
    "satisfaction_in_processing": 2.0,
}
C1_GROUPS = {
    "publicity": 4.5,  # 18 × 1.5 / 6 measured
    "progress": 12.0,
    "online_service": round(12 * (3.75 + 8 / 3 + 4) / 12, 2),
    "online_payment": 10.0,
    "digitisation": round(22 * (8 + 6.25 + 0) / 22, 2),
    "satisfaction": 6.0,  # 18 × 2 / 6 measured
}
C1_TOTAL = round(4.5 + 12 + (3.75 + 8 / 3 + 4) + 10 + 22 * 14.25 / 22 + 6, 2)


def test_every_computed_sub_indicator_equals_the_hand_count(world, leader_of):
    body = leader_of(world.c1).get(URL, MARCH).json()

    indicators = {i["key"]: i for group in body["groups"] for i in group["indicators"]}
    assert {key: i["value"] for key, i in indicators.items()} == C1_VALUES
    assert {key: i["points"] for key, i in indicators.items() if i["points"] is not None} == C1_POINTS
    assert {g["key"]: g["points"] for g in body["groups"]} == C1_GROUPS
    assert body["total"] == C1_TOTAL == 57.17 and body["measured_weight"] == 100


def test_the_answer_has_six_groups_weighing_100_and_says_what_it_cannot_measure(world, leader_of):
    body = leader_of(world.c1).get(URL, MARCH).json()

    assert [(g["key"], g["weight"]) for g in body["groups"]] == [
        ("publicity", 18),
        ("progress", 20),
        ("online_service", 12),
        ("online_payment", 10),
        ("digitisation", 22),
        ("satisfaction", 18),
    ]
    assert sum(g["weight"] for g in body["groups"]) == 100
    unmeasurable = [i for g in body["groups"] for i in g["indicators"] if not i["measurable"]]
    assert {i["key"] for i in unmeasurable} == {
        "published_on_time",
        "national_sync",
        "complaints_on_time",
        "complaints_satisfaction",
    }
    assert all(i["reason"] and i["points"] is None and i["value"] is None for i in unmeasurable)
    assert all(i["formula"] and i["source"] for g in body["groups"] for i in g["indicators"])
    assert set(body["sources"]) == {"766", "NP", "61", "63", "PORTAL"}
    assert body["agency"] is None and body["from"] == "2026-03-01"


def test_the_max_points_of_each_group_add_up_to_its_weight():
    for group in GROUPS:
        assert sum(indicator.max_points for indicator in group.indicators) == group.weight, group.key


def test_a_period_without_dossiers_measures_only_the_catalog(world, leader_of):
    body = leader_of(world.c1).get(URL, {"from": "2026-05-01", "to": "2026-05-31"}).json()
    groups = {g["key"]: g for g in body["groups"]}
    assert groups["progress"]["points"] is None and groups["satisfaction"]["points"] is None
    on_time = groups["progress"]["indicators"][0]
    assert on_time["measurable"] is True and on_time["value"] is None and on_time["reason"]
    # Publicity 4.5; online service: procedures online 3.75 and none of them used (0 of 4), no submission to
    # measure; payable online 5 of 5 with no payment to measure.
    assert groups["online_service"]["points"] == round(12 * 3.75 / 8, 2)
    assert body["measured_weight"] == 18 + 12 + 10
    assert body["total"] == round(100 * (4.5 + 12 * 3.75 / 8 + 10) / 40, 2)


def test_the_league_table_ranks_the_communes_of_the_province(world, leader_of):
    body = leader_of(world.province).get(RANKING_URL, {**MARCH, "gov_level": GovLevel.COMMUNE}).json()

    # C2: one online dossier, early, its only procedure published in full; nothing to pay (payment unmeasured);
    # no paper taken from a document store (digitisation 16 of 22).
    assert [(r["rank"], r["agency"], r["total"]) for r in body["results"]] == [
        (1, world.c2.code, round(100 * (18 + 20 + 12 + 16 + 18) / 90, 2)),
        (2, world.c1.code, C1_TOTAL),
    ]
    assert body["results"][0]["groups"]["online_payment"] is None
    assert body["results"][1]["groups"] == C1_GROUPS
    assert body["gov_level"] == "commune"


def test_the_league_table_keeps_to_the_callers_scope(world, leader_of, admin_client):
    commune = leader_of(world.c1).get(RANKING_URL, {**MARCH, "gov_level": GovLevel.COMMUNE}).json()
    assert [r["agency"] for r in commune["results"]] == [world.c1.code]
    provinces = admin_client.get(RANKING_URL, {**MARCH, "gov_level": GovLevel.PROVINCE}).json()
    assert [r["agency"] for r in provinces["results"]] == [world.province.code, world.other.code]


def test_who_may_ask_and_bad_input(world, leader_of, api_client, citizen_client):
    assert api_client.get(URL).status_code == 401
    assert citizen_client.get(URL).status_code == 403
    assert citizen_client.get(RANKING_URL, {"gov_level": "commune"}).status_code == 403
    c1 = leader_of(world.c1)
    assert c1.get(URL, {"agency": world.c2.code}).status_code == 403
    assert c1.get(URL, {"from": "2026-03-09", "to": "2026-03-01"}).status_code == 400
    response = c1.get(RANKING_URL, MARCH)
    assert response.status_code == 400 and response.json() == {"gov_level": [ERR_GOV_LEVEL_REQUIRED]}


def test_the_query_count_does_not_grow_with_agencies_or_days(world, leader_of, django_assert_num_queries):
    client = leader_of(world.province)
    period = {"from": "2026-01-01", "to": date.today().isoformat()}
    ranking = {**period, "gov_level": GovLevel.COMMUNE}
    with CaptureQueriesContext(connection) as index_queries:
        client.get(URL, period)
    with CaptureQueriesContext(connection) as ranking_queries:
        client.get(RANKING_URL, ranking)
    for n in range(10):
        agency = factories.AgencyFactory(code=f"000.03.{n:02d}.H26", gov_level=GovLevel.COMMUNE, parent=world.province)
        world.p3.agencies.add(agency)
        DailyRollup.objects.bulk_create(
            DailyRollup(
                day=date(2026, 3, 1) + timedelta(days=d),
                agency=agency,
                procedure=world.p3,
                channel="online",
                received=2,
                completed_early=1,
            )
            for d in range(15)
        )
    with django_assert_num_queries(len(index_queries.captured_queries)):
        client.get(URL, period)
    with django_assert_num_queries(len(ranking_queries.captured_queries)):
        assert len(client.get(RANKING_URL, ranking).json()["results"]) == 12
