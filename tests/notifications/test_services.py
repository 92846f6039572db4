from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError

from portal.notifications import services
from portal.notifications.models import MessageStatus, OutboundMessage
from portal.notifications.providers import DeliveryError
from portal.notifications.tasks import deliver_message

pytestmark = pytest.mark.django_db


def test_message_is_delivered_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.message_send(channel="sms", recipient="0912345678", body="Xin chào")
        message.refresh_from_db()
        assert message.status == MessageStatus.QUEUED
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_ref.startswith("SMS-")
    assert message.attempts == 1


def test_rollback_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.message_send(channel="sms", recipient="0912345678", body="Xin chào")
        raise RuntimeError("boom")
    assert callbacks == []
    assert not OutboundMessage.objects.exists()


def test_broker_down_keeps_message_queued_and_relay_sends_it_once(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_message, "delay", side_effect=OperationalError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = services.message_send(channel="sms", recipient="0912345678", body="Mã 123456")
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED

    with mock.patch("portal.notifications.providers.SimulatedSmsGateway.send", return_value="SMS-X") as send:
        relayed = services.messages_relay_queued(older_than=timedelta(0))
        services.messages_relay_queued(older_than=timedelta(0))
    assert relayed == 1
    assert send.call_count == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_delivering_twice_sends_once():
    message = OutboundMessage.objects.create(channel="sms", recipient="0912345678", body="x")
    with mock.patch("portal.notifications.providers.SimulatedSmsGateway.send", return_value="SMS-1") as send:
        services.message_deliver(message_id=message.id)
        services.message_deliver(message_id=message.id)
    assert send.call_count == 1


def test_provider_failure_is_recorded_then_gives_up(settings):
    settings.SMS_SIMULATOR_FAILING_NUMBERS = ["0900000000"]
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    message = OutboundMessage.objects.create(channel="sms", recipient="0900000000", body="x")
    with pytest.raises(DeliveryError):
        services.message_deliver(message_id=message.id)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "refused" in message.last_error
    services.message_deliver(message_id=message.id)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)


def test_email_goes_through_django_mail(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(channel="email", recipient="a@example.vn", subject="Hồ sơ", body="Đã tiếp nhận")
    assert [m.to for m in mailoutbox] == [["a@example.vn"]]
    assert mailoutbox[0].subject == "Hồ sơ"


def test_outbox_command_prints_newest_message(capsys):
    OutboundMessage.objects.create(channel="sms", recipient="0912345678", body="Mã cũ 111111")
    OutboundMessage.objects.create(channel="sms", recipient="0912345678", body="Mã mới 222222")
    OutboundMessage.objects.create(channel="sms", recipient="0987654321", body="Khác 333333")
    call_command("outbox", "--to", "0912345678", "--last")
    out = capsys.readouterr().out
    assert "222222" in out
    assert "111111" not in out and "333333" not in out


def test_outbox_command_fails_clearly_for_unknown_recipient():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="0911111111"):
        call_command("outbox", "--to", "0911111111", "--last")
