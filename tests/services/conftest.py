import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
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


@pytest.fixture
def private_redis():
    """A redis-server of the test's own (it may be stopped and started), used as the broker meanwhile."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    try:
        with real_broker(redis.url):
            yield redis
    finally:
        if redis.process.poll() is None:
            redis.stop()


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


ROOT = Path(__file__).resolve().parents[2]


def database_url_of_this_test() -> str:
    """The URL of the (test) database this process uses, for a worker process to share it."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryProcess:
    """`celery -A portal worker` (solo pool) or `celery -A portal beat` in a process of its own, on the
    test database and the given broker, so that it can be killed or stopped like a real one."""

    def __init__(self, kind: str, broker_url: str, tmp_path: Path, **env):
        self.kind = kind
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "portal.settings_test",
            "DATABASE_URL": database_url_of_this_test(),
            "REDIS_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **{name: str(value) for name, value in env.items()},
        }
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        if self.kind == "worker":
            name = f"test-{uuid.uuid4().hex[:8]}@%h"
            arguments = ["worker", "--pool", "solo", "-n", name, "--without-gossip", "--without-mingle"]
        else:
            arguments = ["beat"]
        self.log = self.tmp_path / f"{self.kind}-{self.starts}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "portal", *arguments, "--loglevel", "INFO"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self):
        """SIGKILL: no warm shutdown, nothing acknowledged, as when the machine loses the process."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]
