"""What the dashboard draws, from the selectors: trend, channel mix, agencies ranked, idle online procedures."""

from datetime import date

import pytest

from figures import selectors
from figures.scope import AgencyTree, Scope
from procedures.constants import GovLevel

pytestmark = pytest.mark.django_db


def scope_of(agency) -> Scope:
    return Scope(agency_ids=AgencyTree.load().subtree([agency.pk]), focus_agency_id=agency.pk)


def test_a_short_period_is_drawn_day_by_day_with_every_day_present(world):
    trend = selectors.kpi_trend(scope=scope_of(world.c1), date_from=date(2026, 3, 1), date_to=date(2026, 3, 7))

    assert trend["unit"] == "day"
    points = {p["period"]: p for p in trend["points"]}
    assert list(points) == [f"2026-03-0{d}" for d in range(1, 8)]
    assert (points["2026-03-01"]["received_total"], points["2026-03-01"]["online_ratio"]) == (0, None)
    monday = points["2026-03-02"]
    assert (monday["received_total"], monday["received_online"], monday["online_ratio"]) == (7, 4, round(4 / 7, 6))
    friday = points["2026-03-06"]  # C and H late, D on time
    assert (friday["completed_total"], friday["completed_late"], friday["on_time_ratio"]) == (3, 2, round(1 / 3, 6))


def test_a_long_period_is_drawn_month_by_month(world):
    trend = selectors.kpi_trend(scope=scope_of(world.province), date_from=date(2026, 1, 15), date_to=date(2026, 4, 2))

    assert trend["unit"] == "month"
    assert [p["period"] for p in trend["points"]] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    march = trend["points"][2]
    assert (march["received_total"], march["received_online"], march["completed_on_time"]) == (9, 6, 5)


def test_the_channel_mix_shares_the_received_dossiers(world):
    mix = selectors.channel_mix(scope=scope_of(world.c1), date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))

    assert [(row["channel"], row["received"], row["share"]) for row in mix] == [
        ("online", 5, 0.625),
        ("counter", 2, 0.25),
        ("postal", 1, 0.125),
    ]
    assert mix[0]["label"] == "Trực tuyến"


def test_agencies_of_one_level_are_ranked_on_their_whole_subtree(world):
    everything = Scope(agency_ids=None)
    march = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}

    communes = selectors.agencies_ranked(scope=everything, gov_level=GovLevel.COMMUNE, **march)
    assert [(r["rank"], r["agency"], r["online_ratio"]) for r in communes] == [
        (1, world.c2.code, 1.0),
        (2, world.c1.code, 0.625),
    ]
    provinces = selectors.agencies_ranked(
        scope=everything, gov_level=GovLevel.PROVINCE, order_by="received_total", **march
    )
    assert [(r["agency"], r["received_total"]) for r in provinces] == [(world.province.code, 9), (world.other.code, 1)]
    assert selectors.agencies_ranked(scope=scope_of(world.c1), gov_level=GovLevel.PROVINCE, **march) == []


def test_idle_online_procedures_look_back_three_years(world):
    idle = selectors.idle_online_procedures(scope=scope_of(world.c1), as_of=date(2026, 3, 31))
    assert [p.code for p in idle] == [world.p3_idle.code]
    # Before the week, p3 and p4 had no online dossier either. Three years on, p4's (received Monday 2 March)
    # fall out of the window a day before p3's last one (K, Wednesday 4 March).
    assert [p.code for p in selectors.idle_online_procedures(scope=scope_of(world.c1), as_of=date(2026, 3, 1))] == [
        world.p3.code,
        world.p4.code,
        world.p3_idle.code,
    ]
    assert selectors.idle_online_procedures(scope=scope_of(world.c1), as_of=date(2029, 3, 1)).count() == 1
    later = selectors.idle_online_procedures(scope=scope_of(world.c1), as_of=date(2029, 3, 2))
    assert [p.code for p in later] == [world.p4.code, world.p3_idle.code]
    assert selectors.idle_online_procedures(scope=scope_of(world.c1), as_of=date(2029, 3, 4)).count() == 3
