"""MockPost, the simulated post office: its schedule, its share of failed deliveries, its notices, its handheld."""

from datetime import timedelta

import pytest
import time_machine
from celery import current_app
from django.urls import reverse
from django.utils import timezone

from portal.accounts.constants import Role
from postal.providers.mockpost import simulator, tasks
from postal.providers.mockpost.apps import BEAT_SCHEDULE
from postal.providers.mockpost.models import Parcel, ParcelNotice
from tests import factories

pytestmark = pytest.mark.django_db


def run_schedule(capture, *, until) -> None:
    """Let the periodic task run every hour until `until`."""
    moment = timezone.now()
    while moment <= until:
        with time_machine.travel(moment, tick=False), capture(execute=True):
            tasks.advance_due_parcels()
        moment += timedelta(hours=1)


def test_the_periodic_task_is_registered_by_the_app():
    for name, entry in BEAT_SCHEDULE.items():
        assert current_app.conf.beat_schedule[name] == entry
        assert entry["task"] in current_app.tasks


def test_parcels_move_on_their_own_schedule_to_delivery(shipment, django_capture_on_commit_callbacks):
    parcel = Parcel.objects.get(tracking_number=shipment.tracking_number)
    assert parcel.next_step_at - parcel.created_at == timedelta(hours=2)
    assert simulator.parcels_due() == []  # nothing moves before its time
    run_schedule(django_capture_on_commit_callbacks, until=timezone.now() + timedelta(days=2))
    shipment.refresh_from_db()
    shipment.dossier.refresh_from_db()
    assert shipment.status == "delivered" and shipment.dossier.status == "completed"
    times = list(shipment.events.values_list("occurred_at", flat=True))
    assert len(times) == 5 and times == sorted(times) and times[-1] - times[0] >= timedelta(hours=20)


def test_a_share_of_deliveries_fail_and_go_back(settings, shipment, django_capture_on_commit_callbacks):
    settings.MOCKPOST_FAILED_DELIVERY_PERCENT = 100
    run_schedule(django_capture_on_commit_callbacks, until=timezone.now() + timedelta(days=4))
    shipment.refresh_from_db()
    assert list(shipment.events.values_list("status", flat=True))[-2:] == ["failed", "returned"]
    shipment.dossier.refresh_from_db()
    assert shipment.dossier.status == "result_ready"


def test_a_notice_the_portal_refuses_stays_queued_and_is_sent_again(settings, shipment):
    settings.MOCKPOST_NOTICE_URL = "http://127.0.0.1:9/api/v1/postal/webhook/"  # nobody listens there
    simulator.parcel_step(tracking_number=shipment.tracking_number)
    notice = ParcelNotice.objects.get()
    with pytest.raises(simulator.NoticeRejected):
        simulator.notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.delivered_at is None and notice.attempts == 1 and notice.last_error
    assert simulator.notices_undelivered() == [notice.pk]
    settings.MOCKPOST_NOTICE_URL = ""
    assert tasks.redeliver_parcel_notices() == 1
    notice.refresh_from_db()
    shipment.refresh_from_db()
    assert notice.delivered_at is not None and shipment.status == "picked_up"


def test_booking_the_same_reference_twice_gives_the_same_parcel(shipment):
    parcel = Parcel.objects.get(tracking_number=shipment.tracking_number)
    again = simulator.parcel_book(
        merchant_reference=parcel.merchant_reference,
        sender_name="x",
        sender_address="",
        recipient={},
        cod_amount=0,
        same_province=True,
    )
    assert again.pk == parcel.pk and Parcel.objects.count() == 1


def test_the_check_digit_follows_upu_s10():
    assert simulator.s10_check_digit("47312482") == 9  # the worked example of UPU S10
    assert simulator.s10_check_digit("00000000") == 5


def test_officials_push_a_parcel_on_the_handheld(client, shipment, django_capture_on_commit_callbacks):
    client.force_login(factories.make_official(role=Role.RECEIVER, agency=shipment.dossier.agency))
    page = client.get(reverse("mockpost:parcel", args=[shipment.tracking_number]))
    assert page.status_code == 200 and "Bưu tá đã nhận gửi" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        pushed = client.post(reverse("mockpost:parcel", args=[shipment.tracking_number]), {"step": "next"})
    assert pushed.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mockpost:parcel", args=[shipment.tracking_number]), {"step": "fail"})
    shipment.refresh_from_db()
    assert list(shipment.events.values_list("status", flat=True)) == ["created", "picked_up", "failed"]
    assert shipment.tracking_number in client.get(reverse("mockpost:handheld")).content.decode()


def test_citizens_may_not_use_the_handheld(client, shipment):
    client.force_login(shipment.dossier.applicant)
    assert client.get(reverse("mockpost:handheld")).status_code == 403
    assert client.post(reverse("mockpost:parcel", args=[shipment.tracking_number]), {"step": "next"}).status_code == 403
    shipment.refresh_from_db()
    assert shipment.status == "created"
