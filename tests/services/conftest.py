import contextlib
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from kombu import pools as kombu_pools

from portal.celery import app


def reset_broker_connections() -> None:
    """Forget pooled broker connections (Celery's and kombu's global ones), so a changed broker_url is used."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def real_broker(url: str):
    """Send tasks to `url` instead of running them eagerly, for the duration of the block."""
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    reset_broker_connections()
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = previous
        reset_broker_connections()


@pytest.fixture
def celery_worker_on_redis(transactional_db):
    """A real Celery worker (solo pool, in a thread) consuming from the REDIS_URL broker."""
    with (
        real_broker(os.environ["REDIS_URL"]),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield app


def wait_for(predicate, timeout: float = 30.0) -> bool:
    """Poll until `predicate()` holds (a real worker runs in another thread) or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
