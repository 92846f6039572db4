import time
from datetime import timedelta

import pytest
from django.db import connection

from portal.notifications import services
from portal.notifications.models import MessageStatus, OutboundMessage
from tests.services.conftest import wait_for

pytestmark = pytest.mark.services


def test_runs_on_postgresql(transactional_db):
    assert connection.vendor == "postgresql"


def test_real_worker_delivers_a_queued_message_through_redis(celery_worker_on_redis):
    message = services.message_send(channel="sms", recipient="0912345678", body="Mã xác thực 654321")

    def sent():
        message.refresh_from_db()
        return message.status == MessageStatus.SENT

    assert wait_for(sent), f"message stayed {message.status}"
    assert message.attempts == 1


def test_relay_after_a_lost_task_sends_exactly_once(celery_worker_on_redis):
    # A row queued while the broker was down (no task was ever published).
    message = OutboundMessage.objects.create(channel="sms", recipient="0987654321", body="Thông báo")
    assert services.messages_relay_queued(older_than=timedelta(0)) == 1
    # A second sweep racing the first delivery must not send it again.
    services.messages_relay_queued(older_than=timedelta(0))

    def sent():
        message.refresh_from_db()
        return message.status == MessageStatus.SENT

    assert wait_for(sent)
    time.sleep(1)
    message.refresh_from_db()
    assert message.attempts == 1
