"""Past days from the rollups, today from the rows: after a history (the March week) and a live day of workflow
actions whose after-commit work has not run, the KPIs equal a direct count over the rows."""

from datetime import date

import pytest
import time_machine

from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent, Rating
from figures.models import DailyRollup
from payments.constants import PAID_STATUSES, PaymentStatus
from payments.models import Payment
from procedures.calendar import office_time_zone
from tests.figures import world as w

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/kpis/"
TODAY = w.at(9, 10, 30)  # Monday 9 March, office time


def local_day(moment):
    return moment.astimezone(office_time_zone()).date() if moment else None


def direct_count(agency, date_from: date, date_to: date) -> dict:
    """The KPIs counted straight from the rows, one dossier at a time, as figures.rollups defines them."""

    def within(moment):
        return moment is not None and date_from <= local_day(moment) <= date_to

    dossiers = list(Dossier.objects.filter(agency=agency).prefetch_related("events"))
    received = [d for d in dossiers if within(d.received_at)]
    completed = [d for d in dossiers if d.status == DossierStatus.COMPLETED and within(d.completed_at)]

    def late(dossier):
        events = sorted(dossier.events.all(), key=lambda e: (e.created_at, e.pk))
        result_at = next((e.created_at for e in events if e.to_status == DossierStatus.RESULT_READY), None)
        apology = any(e.action == "issue_apology" for e in events)
        return apology or (result_at or dossier.completed_at) > dossier.due_at

    requests = DossierEvent.objects.filter(
        dossier__agency=agency, to_status=DossierStatus.SUPPLEMENT_REQUESTED
    ).exclude(from_status=DossierStatus.SUPPLEMENT_REQUESTED)
    ratings = [r for r in Rating.objects.filter(dossier__agency=agency) if within(r.created_at)]
    payments = Payment.objects.filter(dossier__agency=agency)
    return {
        "received_total": len(received),
        "received_online": sum(d.channel == "online" for d in received),
        "received_counter": sum(d.channel == "counter" for d in received),
        "received_postal": sum(d.channel == "postal" for d in received),
        "completed_total": len(completed),
        "completed_late": sum(late(d) for d in completed),
        "completed_on_time": sum(not late(d) for d in completed),
        "supplement_requests": sum(within(e.created_at) for e in requests),
        "rejected": sum(d.status == DossierStatus.REJECTED and within(d.completed_at) for d in dossiers),
        "refused": sum(d.status == DossierStatus.REFUSED and within(d.completed_at) for d in dossiers),
        "ratings_count": len(ratings),
        "ratings_dissatisfied": sum(r.score <= 2 for r in ratings),
        "payments_online_count": sum(p.status in PAID_STATUSES and within(p.paid_at) for p in payments),
        "refunds_count": sum(p.status == PaymentStatus.REFUNDED and within(p.refunded_at) for p in payments),
    }


def live_monday(world):
    """Monday's work at C1, nothing of it in the rollups: its after-commit recomputes never run."""
    d = world.dossiers
    d["L"] = w._online(world, world.p3, world.c1, w.at(9, 8))
    w.act(world, d["L"], "receive", w.at(9, 8, 5))
    w.act(world, d["L"], "request_supplement", w.at(9, 9))
    d["M"] = w._paper(world, world.p3, world.c1, "postal", w.at(9, 9, 30))
    w.complete(world, d["K"], w.at(9, 9, 45), w.at(9, 10))  # due Mon 09:00: late
    w.rate(world, d["K"], 2, w.at(9, 10, 5))
    d["N"] = w._online(world, world.p3, world.c1, w.at(9, 10, 10))
    w.act(world, d["N"], "reject", w.at(9, 10, 15))


def test_history_plus_a_live_day_equals_a_direct_count(world, leader_of):
    client = leader_of(world.c1)
    live_monday(world)
    assert not DailyRollup.objects.filter(day=date(2026, 3, 9)).exists()

    with time_machine.travel(TODAY, tick=False):
        body = client.get(URL, {"from": "2026-03-01", "to": "2026-03-09"}).json()

    expected = direct_count(world.c1, date(2026, 3, 1), date(2026, 3, 9))
    assert {key: body[key] for key in expected} == expected
    # Monday counted: L and M received, K completed late, one more supplement request, N rejected, K rated 2.
    assert (expected["received_total"], expected["completed_late"], expected["rejected"]) == (10, 3, 2)


def test_past_days_are_read_from_the_rollups_and_today_never_is(world, leader_of):
    client = leader_of(world.c1)
    live_monday(world)
    DailyRollup.objects.filter(agency=world.c1, day=date(2026, 3, 2), channel="counter").update(received=100)
    DailyRollup.objects.create(day=date(2026, 3, 9), agency=world.c1, procedure=world.p3, channel="online", received=50)

    with time_machine.travel(TODAY, tick=False):
        body = client.get(URL, {"from": "2026-03-01", "to": "2026-03-09"}).json()

    # The (edited) rollup of 2 March is what counts for that day; Monday's row is ignored for the live count.
    assert body["received_counter"] == 100 + 0
    assert body["received_online"] == 5 + 1  # the week's 5, and L today
    assert body["received_postal"] == 1 + 1  # C, and M today
