"""Every periodic job on beat can also be run by hand, as a management command calling the same service."""

from io import StringIO

import pytest
from django.core.management import call_command

from portal.celery import app

# Beat's entry -> the command that does the same work. The worker heartbeat has none on purpose:
# run by hand it would report a worker alive that may not be.
COMMAND_OF_PERIODIC_JOB = {
    "relay-queued-messages": "relay_outbox",
    "attachment-thumbnails-sweep": "sweep_thumbnails",
    "flag-overdue-dossiers": "flag_overdue",
    "payments-poll-pending": "poll_payments",
    "payments-expire-unpaid": "expire_unpaid",
    "payments-retry-refunds": "retry_refunds",
    "mockpay-redeliver-notices": "redeliver_notices",
    "mockpay-daily-settlement": "write_settlement",
    "mockpost-advance-parcels": "advance_parcels",
    "mockpost-redeliver-notices": "redeliver_parcel_notices",
    "figures-reconcile-rollups": "reconcile_rollups",
    "mockvneid-clear-sign-ins": "clear_sign_ins",
}
WITHOUT_COMMAND = {"worker-heartbeat"}


def test_every_periodic_job_has_a_command():
    assert set(app.conf.beat_schedule) - WITHOUT_COMMAND == set(COMMAND_OF_PERIODIC_JOB)


@pytest.mark.django_db
@pytest.mark.parametrize("command", sorted(COMMAND_OF_PERIODIC_JOB.values()))
def test_each_command_runs_and_reports(command):
    out = StringIO()
    call_command(command, stdout=out)
    assert out.getvalue().strip()
