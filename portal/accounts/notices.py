"""Telling a person something: on the portal always, and by the channels they chose when it matters.

A notice is composed inside the recipient's language (their notice_language, Vietnamese by default),
so every text a caller builds with gettext comes out in that language. Rows are written to the outbox
in the caller's transaction, like every message.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

from portal.accounts.constants import NOTICE_DEFAULT_LANGUAGE, NoticeChannels
from portal.notifications.models import Channel
from portal.notifications.services import message_send


@dataclass(frozen=True)
class Notice:
    subject: str
    body: str
    sms: str = ""  # a shorter text for SMS, when the body is long


def notice_channels(user) -> list[str]:
    """The channels an urgent notice goes by. A person who chose e-mail but has no address gets the SMS,
    so nothing that matters is lost."""
    wants_email = user.notice_channels in (NoticeChannels.EMAIL, NoticeChannels.BOTH) and bool(user.email)
    wants_sms = user.notice_channels in (NoticeChannels.SMS, NoticeChannels.BOTH) or not wants_email
    return [channel for channel, wanted in ((Channel.SMS, wants_sms), (Channel.EMAIL, wants_email)) if wanted]


def person_notify(*, user, compose: Callable[[], Notice], urgent: bool) -> None:
    """An in-app notice, and when `urgent` (the person must act, or what they wait for happened) an SMS,
    an e-mail or both, as the person chose."""
    with translation.override(user.notice_language or NOTICE_DEFAULT_LANGUAGE):
        notice = compose()
    message_send(channel=Channel.APP, recipient=f"user:{user.pk}", subject=notice.subject, body=notice.body, user=user)
    if not urgent:
        return
    for channel in notice_channels(user):
        if channel == Channel.SMS:
            message_send(channel=channel, recipient=user.phone, body=notice.sms or notice.body, user=user)
        else:
            message_send(channel=channel, recipient=user.email, subject=notice.subject, body=notice.body, user=user)
