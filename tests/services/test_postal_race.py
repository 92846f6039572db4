"""Two identical courier notices arriving at the same moment on PostgreSQL: one change, one step, one delivery."""

import pytest
from django.db import connection

from postal import signing
from postal.models import Shipment, ShipmentEvent
from postal.services import shipment_notice_receive
from tests.postal.helpers import commune_of_hai_duong, notice_bytes, procedure_at, shipped
from tests.services.test_dossier_concurrency import run_at_once

pytestmark = [pytest.mark.services(needs=("postgres",)), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def courier_in_process(settings):
    settings.MOCKPOST_NOTICE_URL = ""


def test_two_identical_delivered_notices_at_once_complete_the_dossier_once():
    assert connection.vendor == "postgresql"
    shipment = shipped(procedure_at(commune_of_hai_duong()))
    body = notice_bytes(shipment, "delivered")
    signature = signing.sign(body)
    results = run_at_once([lambda: shipment_notice_receive(raw_body=body, signature=signature)] * 2)
    assert sorted(results) == ["applied", "duplicate"]
    shipment = Shipment.objects.get(pk=shipment.pk)
    assert shipment.status == "delivered"
    assert ShipmentEvent.objects.filter(shipment=shipment, status="delivered").count() == 1
    dossier = shipment.dossier
    assert dossier.status == "completed" and dossier.amount_paid == dossier.amount_due
    assert dossier.events.filter(action="deliver").count() == 1
