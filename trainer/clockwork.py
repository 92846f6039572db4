"""The trainer moves demo time; on each move the periodic sweeps run, as beat would have run them."""

from datetime import timedelta

import portal.clock as clock
from dossiers.services.overdue import dossiers_flag_overdue
from figures.rollups import rollups_reconcile
from payments.services import dossiers_expire_unpaid, payments_poll_pending
from postal.constants import FINAL_STATUSES as PARCEL_FINAL
from postal.constants import ShipmentStatus
from postal.providers.mockpost import simulator as post
from postal.providers.mockpost.models import Parcel
from procedures.calendar import add_working_days
from trainer.background import run_pending_work

MAX_HOURS = 24 * 30
MAX_WORKING_DAYS = 30


class ClockError(ValueError):
    pass


def clock_advance(*, hours: int = 0, working_days: int = 0) -> dict:
    """Move the clock forward and run what would have run meanwhile; returns what the sweeps did."""
    if not (0 <= hours <= MAX_HOURS and 0 <= working_days <= MAX_WORKING_DAYS) or not (hours or working_days):
        raise ClockError("hours 1..720 or working days 1..30")
    start = clock.now()
    target = add_working_days(start, working_days) if working_days else start
    target += timedelta(hours=hours)
    clock.advance(target - start)
    return sweeps_run()


def courier_catch_up(until) -> int:
    """Parcels take every step that fell due before `until`, each at the moment it fell due."""
    moved = 0
    for _round in range(12):
        due = list(
            Parcel.objects.filter(next_step_at__lte=until)
            .exclude(status__in=PARCEL_FINAL)
            .order_by("next_step_at")
            .values_list("tracking_number", "status", "next_step_at")
        )
        if not due:
            break
        for tracking_number, status, at in due:
            fail = status == ShipmentStatus.OUT_FOR_DELIVERY and post.delivery_fails()
            post.parcel_step(tracking_number=tracking_number, fail=fail, now=at)
            moved += 1
    return moved


def sweeps_run() -> dict:
    now = clock.now()
    done = {
        "overdue": dossiers_flag_overdue(now=now),
        "payments_polled": payments_poll_pending(now=now),
        "payments_expired": dossiers_expire_unpaid(now=now),
        "parcels_moved": courier_catch_up(now),
    }
    run_pending_work()
    done["rollups"] = rollups_reconcile()
    return done
