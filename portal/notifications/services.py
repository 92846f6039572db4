from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.background import enqueue, enqueue_on_commit
from portal.notifications.models import Channel, MessageStatus, OutboundMessage
from portal.notifications.providers import DeliveryError, get_provider

DELIVER_MESSAGE_TASK = "portal.notifications.tasks.deliver_message"


def message_send(*, channel: str, recipient: str, body: str, subject: str = "", user=None) -> OutboundMessage:
    """Queue a message in the caller's transaction; it is handed to the worker only after commit.

    A rollback therefore sends nothing, and a broker that is down loses nothing: the row
    stays queued and the periodic relay hands it over again.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    message = OutboundMessage.objects.create(
        channel=channel, recipient=recipient, subject=subject, body=body, user=user
    )
    enqueue_on_commit(DELIVER_MESSAGE_TASK, message.id, description=f"message {message.id}")
    return message


def message_deliver(*, message_id: int) -> OutboundMessage:
    """Deliver one queued message exactly once, however often the task runs.

    The row lock makes a second worker wait and then see the message already sent. A
    provider failure is recorded (committed) and re-raised so the task retries with backoff.
    """
    failure = None
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
        if message.status != MessageStatus.QUEUED:
            return message
        message.attempts += 1
        try:
            message.provider_ref = get_provider(message.channel).send(
                recipient=message.recipient, subject=message.subject, body=message.body
            )
        except DeliveryError as exc:
            failure = exc
            message.last_error = str(exc)
            if message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
        else:
            message.status = MessageStatus.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "provider_ref", "status", "sent_at", "last_error"])
    if failure is not None and message.status == MessageStatus.QUEUED:
        raise failure
    return message


def messages_relay_queued(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Hand queued messages to the broker again (after an outage or a lost task)."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundMessage.objects.filter(status=MessageStatus.QUEUED, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )
    return sum(enqueue(DELIVER_MESSAGE_TASK, message_id, description=f"message {message_id}") for message_id in ids)
