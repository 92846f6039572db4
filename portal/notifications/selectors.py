from django.db.models import QuerySet

from portal.notifications.models import Channel, OutboundMessage


def outbox_for_recipient(*, recipient: str) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(recipient=recipient).order_by("-created_at", "-id")


def outbox_latest(*, recipient: str | None = None, limit: int = 50) -> QuerySet[OutboundMessage]:
    messages = OutboundMessage.objects.order_by("-created_at", "-id")
    if recipient:
        messages = messages.filter(recipient=recipient)
    return messages[:limit]


def in_app_notices(*, user) -> QuerySet[OutboundMessage]:
    """The notices shown on the portal to one user, newest first."""
    return OutboundMessage.objects.filter(channel=Channel.APP, user=user).order_by("-created_at", "-id")
