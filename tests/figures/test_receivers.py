"""The rollups kept current by the workflow's own events, after commit, and what the reconciliation catches."""

from datetime import date

import pytest
import time_machine
from django.db import transaction

from dossiers import rules, status_receivers
from dossiers.services.rating import dossier_rate
from dossiers.services.review import dossier_act
from figures import receivers
from figures.models import DailyRollup
from figures.rollups import STATUSES_WITH_FIGURES, rebuild_rollups, rollups_reconcile
from figures.tasks import recompute_rollups_for_dossier
from payments.constants import PaymentStatus
from tests.dossiers.builders import make_dossier
from tests.figures import world as w
from tests.figures.test_rollups import C1_ROWS, rows_of

pytestmark = pytest.mark.django_db


def queued(callbacks) -> list[tuple]:
    """The figures recomputes among captured after-commit callbacks: (dossier id, day)."""
    return [c.args[1:] for c in callbacks if getattr(c, "args", ()) and c.args[0] == receivers.RECOMPUTE_TASK]


def test_a_live_week_leaves_the_rows_a_rebuild_writes(django_capture_on_commit_callbacks):
    """Every step's recompute runs right after it, while later steps are still to come: the last one
    of each day leaves what a rebuild from scratch computes."""
    world = w.build(django_capture_on_commit_callbacks, live=True)
    live = {agency: rows_of(agency) for agency in (world.c1, world.c2, world.other)}

    rebuild_rollups(date_from=w.MARCH[0], date_to=w.MARCH[1])

    assert live == {agency: rows_of(agency) for agency in (world.c1, world.c2, world.other)}
    assert live[world.c1] == C1_ROWS


def test_figures_listen_to_every_status_that_changes_a_figure():
    (registration,) = [r for r in status_receivers.registrations() if r.receiver is receivers.rollups_dossier_entered]
    assert registration.statuses == STATUSES_WITH_FIGURES
    assert (
        registration.statuses >= rules.FINAL_STATUSES
        and {"processing", "supplement_requested"} <= registration.statuses
    )


def test_a_move_queues_its_day_after_commit_and_a_rolled_back_one_nothing(django_capture_on_commit_callbacks):
    dossier = make_dossier("submitted")
    with django_capture_on_commit_callbacks() as callbacks, time_machine.travel(w.at(3, 23, 30), tick=False):
        dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="receive")
    assert queued(callbacks) == [(dossier.pk, "2026-03-03")]  # the office's day, not UTC's

    other = make_dossier("submitted")
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        dossier_act(dossier_id=other.pk, user=other.staff.receiver, action="receive")
        raise RuntimeError("the caller's transaction fails after the move")
    assert queued(callbacks) == []


def test_payments_and_ratings_queue_their_day(django_capture_on_commit_callbacks):
    dossier = make_dossier("completed")
    with django_capture_on_commit_callbacks() as callbacks, time_machine.travel(w.at(9, 10), tick=False):
        dossier_rate(dossier_id=dossier.pk, user=dossier.applicant, score=4)
    assert queued(callbacks) == [(dossier.pk, "2026-03-09")]

    payment = type("P", (), {"dossier_id": dossier.pk, "paid_at": w.at(9, 11), "refunded_at": w.at(10, 9)})
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for status in (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, PaymentStatus.REFUNDED):
            payment.status = status
            receivers.rollups_payment_saved(None, payment, update_fields=["status", "updated_at"])
        receivers.rollups_payment_saved(None, payment, update_fields=["last_error"])
    assert queued(callbacks) == [(dossier.pk, "2026-03-09"), (dossier.pk, "2026-03-10")]


def test_the_task_recomputes_and_a_lost_one_is_caught_by_the_reconciliation(
    django_capture_on_commit_callbacks, monkeypatch, settings
):
    dossier = make_dossier("submitted")
    monkeypatch.setattr(recompute_rollups_for_dossier, "delay", _broker_down)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(w.at(4, 9), tick=False):
        dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="receive")
    dossier.refresh_from_db()
    assert dossier.status == "processing" and not DailyRollup.objects.exists()

    assert recompute_rollups_for_dossier(dossier.pk, "2026-03-04") == 1
    DailyRollup.objects.all().delete()
    settings.FIGURES_RECONCILE_DAYS = 2
    assert rollups_reconcile(today=date(2026, 3, 5)) == 1
    assert DailyRollup.objects.get().received == 1


def _broker_down(*args, **kwargs):
    raise ConnectionError("broker unreachable")
