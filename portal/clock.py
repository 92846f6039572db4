"""The portal's one clock: every "now" of the domain (deadlines, the overdue sweep, payment expiry,
the courier's schedule, rollups) is read here.

In real use it is `timezone.now()`. In demo mode a trainer may move it forward: the offset lives in
the shared cache, so the web processes, the worker and beat all read the same time. Losing it (a cache
outage, a cleared cache) puts the portal back on real time, which is always a safe place to be.
Security timers (OTP codes, login lockouts, API tokens) stay on real time on purpose: they protect
people, not a demo's story.

`pinned(moment)` runs a block of code at a moment of its own (this thread only): the demo world is
built through the services "in the past", so its dossiers carry the dates a real history would.
"""

import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

OFFSET_KEY = "portal:clock:offset-seconds"
_local = threading.local()


def offset() -> timedelta:
    """How far the demo clock runs ahead of real time (zero outside demo mode)."""
    if not settings.DEMO_MODE:
        return timedelta(0)
    return timedelta(seconds=cache.get(OFFSET_KEY) or 0)


def now() -> datetime:
    moment = getattr(_local, "moment", None)
    if moment is not None:
        return moment
    return timezone.now() + offset()


def localdate() -> date:
    return timezone.localdate(now())


def is_real_time() -> bool:
    return offset() == timedelta(0)


def advance(delta: timedelta) -> timedelta:
    """Move the demo clock forward by `delta` (never backwards); returns the new offset."""
    if delta < timedelta(0):
        raise ValueError("the clock only moves forward")
    moved = offset() + delta
    cache.set(OFFSET_KEY, int(moved.total_seconds()), timeout=None)
    return moved


def reset() -> None:
    cache.delete(OFFSET_KEY)


def restore(earlier: timedelta) -> None:
    """Put the offset back to one read earlier (a script that moved the clock for itself)."""
    if earlier <= timedelta(0):
        reset()
    else:
        cache.set(OFFSET_KEY, int(earlier.total_seconds()), timeout=None)


@contextmanager
def pinned(moment: datetime):
    """Inside the block, now() is `moment` in this thread."""
    previous = getattr(_local, "moment", None)
    _local.moment = moment
    try:
        yield moment
    finally:
        _local.moment = previous
