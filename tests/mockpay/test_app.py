"""The simulator registers itself: its pages, its tasks and its periodic jobs."""

from django.urls import reverse

from payments.providers.mockpay.apps import BEAT_SCHEDULE
from portal.celery import app


def test_its_periodic_jobs_are_in_the_beat_schedule_and_name_registered_tasks():
    app.loader.import_default_modules()
    for name, entry in BEAT_SCHEDULE.items():
        assert app.conf.beat_schedule[name] == entry
        assert entry["task"] in app.tasks
    assert "payments-poll-pending" in app.conf.beat_schedule  # the portal's own jobs are kept


def test_its_checkout_page_is_mounted_under_payments():
    assert reverse("mockpay:pay", args=["MP1"]) == "/payments/gateway/pay/MP1/"
