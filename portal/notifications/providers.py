"""Where outbound messages go. A real SMS gateway or mail service plugs in here, chosen in settings.

The simulators are real implementations of the same interface: the SMS one "delivers" by
recording a provider reference (the outbox row is what a trainer reads); numbers listed in
SMS_SIMULATOR_FAILING_NUMBERS fail, so retries can be shown and tested.
"""

import uuid
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# A message written without a subject (callers give one in the recipient's language).
DEFAULT_EMAIL_SUBJECT = _("Cổng Dịch vụ công")


class DeliveryError(Exception):
    """The provider could not deliver now; the message stays queued and is retried."""


class MessageProvider(Protocol):
    def send(self, *, recipient: str, subject: str, body: str) -> str:
        """Deliver one message and return the provider's reference for it."""


class SimulatedSmsGateway:
    def send(self, *, recipient: str, subject: str, body: str) -> str:
        if recipient in settings.SMS_SIMULATOR_FAILING_NUMBERS:
            raise DeliveryError(f"simulated SMS gateway refused {recipient}")
        return f"SMS-{uuid.uuid4().hex[:16].upper()}"


class DjangoEmail:
    """E-mail through Django's configured EMAIL_BACKEND (a file folder by default)."""

    def send(self, *, recipient: str, subject: str, body: str) -> str:
        try:
            send_mail(subject or str(DEFAULT_EMAIL_SUBJECT), body, settings.DEFAULT_FROM_EMAIL, [recipient])
        except OSError as exc:
            raise DeliveryError(str(exc)) from exc
        return f"MAIL-{uuid.uuid4().hex[:16].upper()}"


class InAppInbox:
    """In-app notices need no transport: the outbox row is the notice the user reads."""

    def send(self, *, recipient: str, subject: str, body: str) -> str:
        return f"APP-{uuid.uuid4().hex[:16].upper()}"


def get_provider(channel: str) -> MessageProvider:
    return import_string(settings.NOTIFICATION_PROVIDERS[channel])()
