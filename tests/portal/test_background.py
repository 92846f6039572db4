import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from celery import shared_task
from celery.exceptions import NotRegistered
from django.db import transaction
from kombu.exceptions import OperationalError

from portal.background import enqueue, enqueue_on_commit, held

ROOT = Path(__file__).resolve().parents[2]
ECHO_TASK = "tests.portal.echo"
received = []


@shared_task(name=ECHO_TASK)
def echo(*args):
    received.append(args)


@pytest.fixture(autouse=True)
def empty_inbox():
    received.clear()


def test_enqueue_by_name_or_by_task_runs_it():
    assert enqueue(ECHO_TASK, 1, "a", description="echo by name") is True
    assert enqueue(echo, 2, description="echo by task") is True
    assert received == [(1, "a"), (2,)]


def test_a_broker_outage_is_logged_and_reported_not_raised(caplog):
    with (
        mock.patch.object(echo, "delay", side_effect=OperationalError("broker down")),
        caplog.at_level(logging.WARNING, logger="portal.background"),
    ):
        assert enqueue(ECHO_TASK, 7, description="echo of seven") is False
    assert received == []
    assert "echo of seven left for the periodic sweep" in caplog.text


def test_an_unknown_task_name_is_a_programming_error():
    with pytest.raises(NotRegistered):
        enqueue("tests.portal.no_such_task", description="nothing")


@pytest.mark.django_db
def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(ECHO_TASK, 3, description="echo after commit")
        assert received == []
    assert len(callbacks) == 1
    assert received == [(3,)]


@pytest.mark.django_db
def test_enqueue_on_commit_sends_nothing_on_rollback(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(ECHO_TASK, 4, description="echo rolled back")
        raise RuntimeError("rollback")
    assert callbacks == []
    assert received == []


@pytest.mark.django_db
def test_a_broker_outage_after_commit_does_not_fail_the_caller(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(echo, "delay", side_effect=OperationalError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(ECHO_TASK, 5, description="echo during an outage")
    assert received == []


def test_a_web_process_knows_every_task_queued_by_name():
    """Django's start-up registers the apps' tasks, so services can queue them by name without a worker."""
    script = (
        "import django; django.setup(); from celery import current_app; "
        "from portal.notifications.services import DELIVER_MESSAGE_TASK; "
        "from dossiers.services.attachments import MAKE_THUMBNAIL_TASK; "
        "from payments.services.core import REQUEST_REFUND_TASK; "
        "from payments.providers.mockpay.simulator import DELIVER_NOTICE_TASK, PROCESS_REFUND_TASK; "
        "names = [DELIVER_MESSAGE_TASK, MAKE_THUMBNAIL_TASK, REQUEST_REFUND_TASK, DELIVER_NOTICE_TASK, "
        "PROCESS_REFUND_TASK]; "
        "print(sorted(set(names) - set(current_app.tasks)))"
    )
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings_test"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_held_keeps_work_from_the_broker_only_inside_the_block(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with held():
            enqueue_on_commit("figures.tasks.reconcile_rollups", description="held")
        enqueue_on_commit("figures.tasks.reconcile_rollups", description="handed over")
    assert len(callbacks) == 1
