"""Handing work to Celery so that a broker outage never fails the caller.

What is handed over is always recorded in the database first (an outbox row, a pending refund,
an image without its thumbnail): when the broker is down the work stays recorded, a warning is
logged, and the periodic sweep or relay queues it again later.

A service may name its task by the name it is registered under, so that the service module need
not import its app's tasks module (which imports the services back). Every app's tasks are
registered when Django starts (portal.apps), so the name resolves in web processes too.

`held()` keeps the broker out of a block whose caller does the follow-up work itself, in-process (the
demo world: thousands of moves whose notices it delivers as it goes). Whatever it leaves undone is
recorded like any work the broker did not take, and the sweeps pick it up.
"""

import logging
import threading
from contextlib import contextmanager
from functools import partial

from celery import Task, current_app
from django.db import transaction

logger = logging.getLogger(__name__)
_state = threading.local()


@contextmanager
def held():
    """Inside the block (this thread), work queued after commit is not handed to the broker."""
    before = getattr(_state, "held", False)
    _state.held = True
    try:
        yield
    finally:
        _state.held = before


def is_held() -> bool:
    return getattr(_state, "held", False)


def enqueue(task: Task | str, *args, description: str, kwargs: dict | None = None, task_id: str | None = None) -> bool:
    """Queue `task(*args, **kwargs)` now; False (and a warning) when the broker cannot take it.

    `task_id` names this run (a re-run of a failed job is recognised by it when it succeeds).
    An unknown task name is a programming error and raises: only the broker's failures are forgiven.
    """
    task = current_app.tasks[task] if isinstance(task, str) else task
    try:
        if task_id is None:
            task.delay(*args, **(kwargs or {}))
        else:
            task.apply_async(args, kwargs, task_id=task_id)
    except Exception:  # any broker failure (connection refused, timeout, auth): the sweep queues it again
        logger.warning("Broker unavailable; %s left for the periodic sweep", description, exc_info=True)
        return False
    return True


def enqueue_on_commit(task: Task | str, *args, description: str) -> None:
    """Queue `task(*args)` once the current transaction commits; nothing at all if it rolls back (nor
    inside `held()`)."""
    if is_held():
        return
    transaction.on_commit(partial(enqueue, task, *args, description=description))
