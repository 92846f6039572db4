"""The pickup pages: a citizen asks the post to collect a paper dossier from home, follows it, and the
counter registers what the postman brought as a postal-channel dossier."""

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.constants import IntakeChannel
from portal.accounts.constants import Role
from postal.constants import ShipmentDirection, ShipmentStatus
from postal.models import Shipment
from postal.providers.mockpost import simulator
from procedures.constants import DeliveryMethod
from procedures.fees import POSTAGE_BY_ZONE
from tests import factories
from tests.postal.helpers import procedure_at

pytestmark = pytest.mark.django_db

HOME_FORM = {
    "agency": "",
    "province": "Thành phố Hải Phòng",
    "commune": "Phường Trần Hưng Đạo",
    "street": "12 Quang Trung",
    "recipient_name": "Lê Thị Hoa",
    "recipient_phone": "0987001122",
    "intent": "request",
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def citizen():
    return factories.CitizenFactory(full_name="Lê Thị Hoa", phone="0987001122")


@pytest.fixture
def procedure(commune):
    return procedure_at(commune)


def ask_pickup(client, procedure, commune, **changes):
    return client.post(
        reverse("postal:pickup-new", args=[procedure.code]), {**HOME_FORM, "agency": commune.code, **changes}
    )


def arrived(shipment: Shipment, capture) -> Shipment:
    while shipment.status != ShipmentStatus.DELIVERED:
        with capture(execute=True):
            simulator.parcel_step(tracking_number=shipment.tracking_number)
        shipment.refresh_from_db()
    return shipment


def test_the_procedure_page_offers_a_pickup(procedure):
    page = Client().get(reverse("procedures:detail", args=[procedure.code])).content.decode()
    assert reverse("postal:pickup-new", args=[procedure.code]) in page
    assert "Nhờ bưu điện nhận hồ sơ giấy tại nhà" in page


def test_the_form_asks_a_login_and_is_prefilled_from_the_account(procedure, citizen):
    url = reverse("postal:pickup-new", args=[procedure.code])
    assert Client().get(url).status_code == 302
    response = client_for(citizen).get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["recipient_name"] == "Lê Thị Hoa" and form.initial["recipient_phone"] == "0987001122"
    page = response.content.decode()
    assert 'value="Thành phố Hải Phòng"' in page  # the country's provinces, from the units package
    assert client_for(citizen).get(reverse("postal:pickup-new", args=["KHONG-CO"])).status_code == 404


def test_a_request_books_the_postman_and_shows_on_the_citizens_list(procedure, commune, citizen):
    client = client_for(citizen)
    response = ask_pickup(client, procedure, commune)
    assert response.status_code == 302 and response.url == reverse("postal:pickups")
    shipment = Shipment.objects.get(applicant=citizen)
    assert shipment.direction == ShipmentDirection.INBOUND and shipment.agency == commune
    assert shipment.address["recipient"] == "Lê Thị Hoa" and shipment.address["phone"] == "0987001122"
    assert shipment.address["province_code"] and shipment.fee == POSTAGE_BY_ZONE["same_province"]

    listing = client.get(reverse("postal:pickups"))
    page = listing.content.decode()
    assert shipment.tracking_number in page and "Cơ quan chưa tiếp nhận" in page and "Đã tạo đơn gửi" in page
    other = client_for(factories.CitizenFactory()).get(reverse("postal:pickups")).content.decode()
    assert shipment.tracking_number not in other


def test_a_wrong_address_is_refused_field_by_field_and_nothing_is_booked(procedure, commune, citizen):
    client = client_for(citizen)
    response = ask_pickup(client, procedure, commune, street="", recipient_phone="")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "street" in errors and "recipient_phone" in errors
    response = ask_pickup(client, procedure, commune, province="Thành phố Hà Nội")
    assert response.status_code == 400 and "commune" in response.context["form"].errors
    response = ask_pickup(client, procedure, commune, agency=factories.AgencyFactory().code)
    assert response.status_code == 400 and "agency" in response.context["form"].errors
    assert not Shipment.objects.exists()


def test_changing_the_province_offers_its_communes_and_keeps_what_was_typed(procedure, commune, citizen):
    response = ask_pickup(client_for(citizen), procedure, commune, province="Thành phố Hà Nội", intent="communes")
    assert response.status_code == 200 and not Shipment.objects.exists()
    communes = dict(response.context["form"].fields["commune"].widget.choices)
    assert "Phường Hoàn Kiếm" in communes and "Phường Trần Hưng Đạo" not in communes
    assert response.context["form"].initial["street"] == "12 Quang Trung"


def test_arrived_pickups_are_listed_for_the_counter_and_registered_as_postal_dossiers(
    procedure, commune, citizen, django_capture_on_commit_callbacks
):
    ask_pickup(client_for(citizen), procedure, commune)
    shipment = arrived(Shipment.objects.get(applicant=citizen), django_capture_on_commit_callbacks)
    receiver = factories.make_official(role=Role.RECEIVER, agency=commune)
    counter = client_for(receiver)

    listing = counter.get(reverse("postal:shipments"), {"state": "arrived"})
    register_url = reverse("postal:pickup-register", args=[shipment.tracking_number])
    assert [s.tracking_number for s in listing.context["page"].object_list] == [shipment.tracking_number]
    assert register_url in listing.content.decode()

    form = counter.get(register_url)
    assert form.status_code == 200
    delivery = form.context["delivery"]
    expected_method = (
        DeliveryMethod.POSTAL if DeliveryMethod.POSTAL in procedure.delivery_methods else DeliveryMethod.COUNTER
    )
    assert delivery.initial["delivery_method"] == expected_method
    assert delivery.initial["street"] == "12 Quang Trung" and delivery.initial["recipient_name"] == "Lê Thị Hoa"

    answers = {name: "Thu gom tại nhà" for name in form.context["eform"].fields}
    posted = {
        **answers,
        **{f"delivery-{key}": value for key, value in delivery.initial.items()},
        "intent": "register",
    }
    response = counter.post(register_url, posted)
    assert response.status_code == 302, response.context and response.context["eform"].errors
    shipment.refresh_from_db()
    dossier = shipment.dossier
    assert response.url == reverse("office:detail", args=[dossier.pk])
    assert dossier.channel == IntakeChannel.POSTAL and dossier.applicant == citizen and dossier.code
    assert dossier.delivery_method == expected_method
    assert counter.get(register_url).url == reverse("office:detail", args=[dossier.pk])

    listing = client_for(citizen).get(reverse("postal:pickups")).content.decode()
    assert dossier.code in listing
    assert list(counter.get(reverse("postal:shipments"), {"state": "arrived"}).context["page"].object_list) == []


def test_only_the_agencys_receivers_register_and_only_what_has_arrived(
    procedure, commune, citizen, django_capture_on_commit_callbacks
):
    ask_pickup(client_for(citizen), procedure, commune)
    shipment = Shipment.objects.get(applicant=citizen)
    register_url = reverse("postal:pickup-register", args=[shipment.tracking_number])
    receiver = client_for(factories.make_official(role=Role.RECEIVER, agency=commune))

    not_yet = receiver.post(register_url, {"intent": "register"})
    assert not_yet.status_code == 400 and "chưa được phát đến cơ quan" in not_yet.content.decode()

    arrived(shipment, django_capture_on_commit_callbacks)
    processor = client_for(factories.make_official(role=Role.PROCESSOR, agency=commune))
    assert processor.get(register_url).status_code == 403
    elsewhere = client_for(factories.make_official(role=Role.RECEIVER))
    assert elsewhere.get(register_url).status_code == 404
    assert client_for(citizen).get(register_url).status_code == 403
    shipment.refresh_from_db()
    assert shipment.dossier is None


def test_the_citizens_list_runs_a_bounded_number_of_queries(procedure, commune, citizen, django_assert_max_num_queries):
    client = client_for(citizen)
    for _ in range(6):
        ask_pickup(client, procedure, commune)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("postal:pickups"))
    assert len(response.context["page"].object_list) == 6
