"""The figures' cache (figures/cache.py): an answer is computed once per change, and no change is ever
hidden by it — in the same transaction, after a commit that raced a reader, after catalog edits, and
with the cache unreachable."""

from datetime import date

import pytest
import time_machine

from figures import selectors
from figures.cache import cached_figures, figures_changed
from figures.scope import Scope
from procedures.constants import OnlineLevel
from tests.figures import world as w
from tests.figures.test_live_day import TODAY, URL, direct_count

pytestmark = pytest.mark.django_db
MARCH_SO_FAR = {"from": "2026-03-01", "to": "2026-03-09"}


def kpis(client):
    with time_machine.travel(TODAY, tick=False):
        response = client.get(URL, MARCH_SO_FAR)
    assert response.status_code == 200
    return response.json()


def test_a_repeated_question_is_answered_from_the_cache(world, leader_of, django_assert_max_num_queries):
    client = leader_of(world.province)
    with django_assert_max_num_queries(60) as first:
        computed = kpis(client)
    with django_assert_max_num_queries(60) as second:
        cached = kpis(client)
    assert cached == computed
    # The rollup sums, today's live rows and the idle-procedure count are not asked again.
    assert len(second.captured_queries) <= len(first.captured_queries) - 3
    assert not any("figures_dailyrollup" in query["sql"] for query in second.captured_queries)


def test_a_change_in_the_same_transaction_is_seen_at_once(world, leader_of):
    client = leader_of(world.c1)
    before = kpis(client)
    d = world.dossiers
    d["L"] = w._online(world, world.p3, world.c1, w.at(9, 8))
    w.act(world, d["L"], "receive", w.at(9, 8, 5))  # its after-commit recompute never runs here

    after = kpis(client)
    assert after["received_total"] == before["received_total"] + 1
    expected = direct_count(world.c1, date(2026, 3, 1), date(2026, 3, 9))
    assert {key: after[key] for key in expected} == expected


def test_an_answer_computed_before_a_commit_is_not_served_after_it(django_capture_on_commit_callbacks):
    answers = iter(["before the commit", "after the commit"])
    with django_capture_on_commit_callbacks(execute=True):  # run the commit hooks as a real commit would
        figures_changed()
        # A reader racing the commit computes from the rows before it, and stores that at the new version.
        assert cached_figures("race", ("q",), lambda: next(answers)) == "before the commit"
    assert cached_figures("race", ("q",), lambda: next(answers)) == "after the commit"


def test_catalog_edits_are_seen_at_once(world, leader_of):
    client = leader_of(world.c1)
    idle = kpis(client)["online_procedures_without_online_dossiers"]
    world.p3_idle.online_level = OnlineLevel.LEVEL_2
    world.p3_idle.save(update_fields=["online_level"])
    assert kpis(client)["online_procedures_without_online_dossiers"] == idle - 1


def test_with_the_cache_unreachable_every_answer_is_computed(world, leader_of, settings):
    client = leader_of(world.c1)
    expected = kpis(client)
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    # (pytest-django's settings fixture makes Django open the caches anew)
    assert kpis(client) == expected
    figures_changed()  # forgetting is lost, not an error
    scope = Scope(agency_ids=frozenset({world.c1.pk}))
    with time_machine.travel(TODAY, tick=False):
        sums = selectors.figure_sums(scope=scope, date_from=date(2026, 3, 1), date_to=date(2026, 3, 9))
    assert sums[()]["received"] == expected["received_total"]


def test_figures_cache_seconds_zero_turns_it_off(world, leader_of, settings, django_assert_max_num_queries):
    settings.FIGURES_CACHE_SECONDS = 0
    client = leader_of(world.c1)
    with django_assert_max_num_queries(60) as first:
        kpis(client)
    with django_assert_max_num_queries(60) as second:
        kpis(client)
    assert len(second.captured_queries) == len(first.captured_queries)
