import contextlib
import os
import shutil
import socket
import subprocess
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throw-away redis-server on its own port, so stopping it disturbs nothing else."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
