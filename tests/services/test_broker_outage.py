"""Redis stopped while the counter receives a dossier: the move succeeds, the applicant's SMS follows once Redis
is back (submitting is the applicant's own act and texts nobody; receipt with its appointment date does)."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app
from portal.notifications.models import MessageStatus, OutboundMessage
from portal.notifications.services import messages_relay_queued
from tests.dossiers.builders import make_dossier, receive
from tests.services.conftest import wait_for

pytestmark = [pytest.mark.services(needs=("postgres", "redis")), pytest.mark.django_db(transaction=True)]


def test_submission_survives_a_broker_outage_and_the_notice_is_sent_once_after(private_redis):
    dossier = make_dossier("submitted")
    already = set(OutboundMessage.objects.values_list("id", flat=True))
    private_redis.stop()

    started = time.monotonic()
    submitted = receive(dossier)
    assert submitted.status == "processing" and submitted.code
    assert time.monotonic() - started < 20, "enqueueing against a dead broker must fail fast"
    notices = OutboundMessage.objects.exclude(id__in=already).filter(channel="sms")
    assert notices.count() == 1
    assert notices.get().status == MessageStatus.QUEUED

    private_redis.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        messages_relay_queued(older_than=timedelta(0))
        messages_relay_queued(older_than=timedelta(0))  # a second sweep racing the first
        assert wait_for(lambda: notices.get().status == MessageStatus.SENT)
        time.sleep(1)
    sms = notices.get()
    assert sms.attempts == 1
    assert submitted.code in sms.body
