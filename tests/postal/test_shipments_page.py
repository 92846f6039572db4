"""The agency's shipments page: its officials only, filters, bounded queries; the queue's delivery tab."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.constants import Role
from postal.constants import ShipmentDirection, ShipmentStatus
from postal.models import Shipment
from postal.views import PAGE_SIZE
from tests import factories
from tests.dossiers.builders import make_dossier
from tests.postal.helpers import procedure_at, step

pytestmark = pytest.mark.django_db

SHIPMENTS = reverse("postal:shipments")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tracking_numbers(response) -> list[str]:
    return [shipment.tracking_number for shipment in response.context["page"].object_list]


def extra_shipment(dossier, number: int, *, status=ShipmentStatus.IN_TRANSIT, direction=ShipmentDirection.OUTBOUND):
    shipment = Shipment.objects.create(
        dossier=dossier,
        agency=dossier.agency,
        direction=direction,
        tracking_number=f"EX{number:07d}VN",
        provider="mockpost",
        zone="same_province",
        fee=22_000,
        address=dossier.delivery_address,
    )
    Shipment.objects.filter(pk=shipment.pk).update(status=status)
    return shipment


def test_only_officials_of_the_agency_see_its_shipments(shipment):
    assert Client().get(SHIPMENTS).status_code == 302
    assert client_for(shipment.dossier.applicant).get(SHIPMENTS).status_code == 403

    elsewhere = client_for(factories.make_official(role=Role.RECEIVER))
    response = elsewhere.get(SHIPMENTS)
    assert response.status_code == 200 and tracking_numbers(response) == []

    mine = client_for(factories.make_official(role=Role.PROCESSOR, agency=shipment.dossier.agency))
    response = mine.get(SHIPMENTS)
    page = response.content.decode()
    assert tracking_numbers(response) == [shipment.tracking_number]
    assert shipment.dossier.code in page and shipment.dossier.applicant_name in page


def test_filters_by_state_and_direction(shipment, django_capture_on_commit_callbacks):
    dossier = shipment.dossier
    failed = extra_shipment(dossier, 1, status=ShipmentStatus.FAILED)
    returned = extra_shipment(dossier, 2, status=ShipmentStatus.RETURNED)
    delivered = extra_shipment(dossier, 3, status=ShipmentStatus.DELIVERED)
    inbound = extra_shipment(dossier, 4, direction=ShipmentDirection.INBOUND)
    step(shipment, django_capture_on_commit_callbacks)
    client = client_for(factories.make_official(role=Role.RECEIVER, agency=dossier.agency))

    def listed(**filters):
        return sorted(tracking_numbers(client.get(SHIPMENTS, filters)))

    assert listed(state="in_transit") == sorted([shipment.tracking_number, inbound.tracking_number])
    assert listed(state="failed") == [failed.tracking_number]
    assert listed(state="returned") == [returned.tracking_number]
    assert listed(state="delivered") == [delivered.tracking_number]
    assert listed(direction="inbound") == [inbound.tracking_number]
    assert listed(state="in_transit", direction="outbound") == [shipment.tracking_number]
    assert len(listed(state="không-có")) == 5


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_a_bounded_number_of_queries(commune, count, django_assert_max_num_queries):
    procedure = procedure_at(commune)
    dossiers = [make_dossier("result_ready", procedure=procedure, delivery_method="postal") for _ in range(3)]
    for number in range(count):
        extra_shipment(dossiers[number % 3], number)
    official = factories.make_official(role=Role.RECEIVER, agency=commune)
    client = client_for(official)
    with django_assert_max_num_queries(7):
        response = client.get(SHIPMENTS)
    assert len(tracking_numbers(response)) == min(count, PAGE_SIZE)
    with django_assert_max_num_queries(7):
        second = client.get(SHIPMENTS, {"state": "in_transit", "direction": "outbound", "page": 2})
    assert second.status_code == 200


def test_the_queue_links_to_the_shipments_page_and_has_a_delivery_tab(shipment):
    client = client_for(factories.make_official(role=Role.RECEIVER, agency=shipment.dossier.agency))
    queue = client.get(reverse("office:queue"))
    assert SHIPMENTS in queue.content.decode()
    counts = {name: count for name, _label, count, _href in queue.context["tabs"]}
    assert counts["delivery"] == 1 and counts["result"] == 1
    codes = [row["dossier"].code for row in client.get(reverse("office:queue"), {"tab": "delivery"}).context["rows"]]
    assert codes == [shipment.dossier.code]


def test_the_delivery_tab_shows_only_while_dossiers_are_in_delivery(procedure3):
    dossier = make_dossier("result_ready", procedure=procedure3, delivery_method="postal")
    client = client_for(dossier.staff.receiver)
    names = [name for name, *_rest in client.get(reverse("office:queue")).context["tabs"]]
    assert "delivery" not in names
    chosen = client.get(reverse("office:queue"), {"tab": "delivery"})
    assert [name for name, *_rest in chosen.context["tabs"] if name == "delivery"] == ["delivery"]
    assert chosen.context["rows"] == []


def test_the_queue_renders_without_the_postal_pages(settings, shipment):
    settings.ROOT_URLCONF = "tests.postal.urls_without_shipments_page"
    client = client_for(factories.make_official(role=Role.RECEIVER, agency=shipment.dossier.agency))
    queue = client.get("/office/")
    assert queue.status_code == 200
    assert "Bưu gửi của cơ quan" not in queue.content.decode()
