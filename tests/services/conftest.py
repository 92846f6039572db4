import os

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app


@pytest.fixture
def celery_worker_on_redis(transactional_db):
    """A real Celery worker (solo pool, in a thread) consuming from the REDIS_URL broker."""
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = os.environ["REDIS_URL"]
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = previous
