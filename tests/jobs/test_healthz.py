import socket
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from portal.jobs import services
from portal.jobs.models import Heartbeat
from portal.jobs.tasks import record_worker_heartbeat
from tests.services.conftest import real_broker

pytestmark = pytest.mark.django_db


def test_all_parts_alive_answers_200_without_login(client):
    record_worker_heartbeat.delay()
    services.heartbeat_record(name="beat")
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"database": "ok", "broker": "ok", "worker": "ok", "beat": "ok"}


def test_no_heartbeat_yet_answers_503_naming_worker_and_beat(client):
    answer = client.get("/healthz")
    assert answer.status_code == 503
    body = answer.json()
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert body["worker"] == body["beat"] == "chưa từng có nhịp"


def test_a_stale_worker_heartbeat_answers_503_naming_the_worker(client, settings):
    settings.HEALTH_STALE_AFTER_SECONDS = 60
    services.heartbeat_record(name="beat")
    Heartbeat.objects.create(name="worker", beat_at=timezone.now() - timedelta(seconds=75))
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["worker"].startswith("không có nhịp từ 7")
    assert answer.json()["beat"] == "ok"


def test_a_broker_that_refuses_answers_503_naming_it(client):
    services.heartbeat_record(name="worker")
    services.heartbeat_record(name="beat")
    with mock.patch("kombu.Connection.ensure_connection", side_effect=ConnectionRefusedError("refused")):
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["broker"] == "không kết nối được: refused"


def test_beat_records_its_heartbeat_on_each_tick():
    from portal.jobs.beat import HeartbeatScheduler

    with mock.patch("django_celery_beat.schedulers.DatabaseScheduler.tick", return_value=5.0):
        scheduler = HeartbeatScheduler.__new__(HeartbeatScheduler)
        assert scheduler.tick() <= 5.0
    assert Heartbeat.objects.filter(name="beat").exists()


def test_what_is_wrong_is_said_in_english_when_asked(client):
    answer = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["worker"] == "no heartbeat yet"


def test_a_broker_that_accepts_but_never_answers_is_reported_within_three_seconds(client):
    with socket.socket() as silent:  # a port that takes the connection and then says nothing, like a hung Redis
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with real_broker(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            started = time.monotonic()
            answer = client.get("/healthz")
            elapsed = time.monotonic() - started
    assert answer.status_code == 503
    assert answer.json()["broker"].startswith("không kết nối được")
    assert elapsed < 3


def test_the_health_check_is_answered_over_plain_http_where_everything_else_redirects(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 503  # answered here: no heartbeat yet
    assert client.get("/").status_code == 301
