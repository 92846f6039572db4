"""The figures' heavy reads kept in the shared cache: the sums of a scope and period (a year of rollups
plus today's live rows) and the count of idle online procedures. A leader's dashboard asks the same
questions again and again between two changes; the answer is computed once per change.

Every answer is stored under the figures' version, which each change bumps:
- a change to a figure (the receivers that recompute the rollups: dossier moves, payments, ratings)
  bumps it when it happens, so no reader in the same transaction is served an answer from before
  it, and again once its transaction commits, so an answer computed by a reader racing the commit
  from the rows before it is not served after it;
- rollup writes (rebuild_rollups, the periodic reconciliation), catalog edits (a procedure's level or
  agencies) and calendar edits bump it too.
While the cache is unreachable nothing is read from it and every answer is computed from the rows.
Answers expire after FIGURES_CACHE_SECONDS anyway, which bounds the life of one should a bump be lost
in an outage.
"""

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "figures:version"
T = TypeVar("T")


def figures_version() -> int | None:
    """The current version, or None while the cache cannot tell (then nothing is cached)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A new (or evicted) version starts at the clock, never at a number an older answer was stored under.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version stored: the next reader starts a new one
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def figures_changed() -> None:
    """A figure changed (or will, once the current transaction commits): forget every cached answer."""
    _bump()
    transaction.on_commit(_bump)


def figures_changed_receiver(sender=None, **kwargs) -> None:
    figures_changed()


def cached_figures(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or the answer stored for `name` and `parts` (a repr-stable tuple) at this version."""
    version = figures_version()
    if version is None or settings.FIGURES_CACHE_SECONDS <= 0:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"figures:{name}:{version}:{digest}"
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, timeout=settings.FIGURES_CACHE_SECONDS)
    return answer
