"""Booking the result's parcel when a dossier is shipped: tracking number, postage by zone, cash on delivery."""

import pytest

from dossiers.models import Dossier
from dossiers.services.review import dossier_act
from portal.errors import ConflictError
from postal.models import Shipment
from postal.providers.base import CourierProvider, ProviderError
from postal.providers.mockpost.models import Parcel
from postal.providers.mockpost.simulator import s10_check_digit
from postal.services import CourierUnavailable
from procedures.constants import OnlineLevel
from procedures.fees import POSTAGE_BY_ZONE
from tests.dossiers.builders import make_dossier
from tests.postal.helpers import FEE, procedure_at, shipped

pytestmark = pytest.mark.django_db


class RefusingCourier(CourierProvider):
    name = "refusing"

    def book(self, parcel):
        raise ProviderError("courier down")


def test_shipping_books_a_parcel_with_a_tracking_number_and_its_first_step(shipment):
    number = shipment.tracking_number
    assert len(number) == 13 and number.endswith("VN") and int(number[10]) == s10_check_digit(number[2:10])
    assert shipment.direction == "outbound" and shipment.status == "created" and shipment.provider == "mockpost"
    (created,) = shipment.events.all()
    assert created.status == "created" and created.location == shipment.dossier.agency.name
    parcel = Parcel.objects.get(tracking_number=number)
    assert parcel.merchant_reference == str(shipment.public_id) and parcel.cod_amount == shipment.cod_amount


def test_a_level3_result_ships_unpaid_and_the_postman_collects_the_fee_and_postage(shipment):
    assert shipment.dossier.status == "in_delivery" and shipment.dossier.amount_paid == 0
    assert shipment.zone == "same_province" and shipment.fee == POSTAGE_BY_ZONE["same_province"]
    assert shipment.cod_amount == FEE + shipment.fee


def test_a_free_procedure_still_collects_the_postage_on_delivery(commune):
    shipment = shipped(procedure_at(commune, fee=0))
    assert shipment.cod_amount == shipment.fee > 0


def test_the_result_must_go_by_post_to_be_shipped(procedure3):
    dossier = make_dossier("result_ready", procedure=procedure3, delivery_method="counter")
    with pytest.raises(ConflictError):
        dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="ship")
    assert not Shipment.objects.exists()


def test_a_courier_that_refuses_the_booking_fails_the_move_with_503(settings, procedure3):
    dossier = make_dossier("result_ready", procedure=procedure3, delivery_method="postal")
    settings.COURIER_PROVIDER = f"{__name__}.RefusingCourier"
    with pytest.raises(CourierUnavailable) as refused:
        dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="ship")
    assert refused.value.status_code == 503
    assert Dossier.objects.get(pk=dossier.pk).status == "result_ready"
    assert not Shipment.objects.exists() and not dossier.events.filter(action="ship").exists()


def test_postage_is_part_of_a_level4_online_dossiers_amount_due(commune):
    procedure = procedure_at(commune, level=OnlineLevel.LEVEL_4)
    dossier = make_dossier("submitted", procedure=procedure, delivery_method="postal")
    assert dossier.status == "awaiting_payment"
    assert dossier.amount_due == FEE + POSTAGE_BY_ZONE["same_province"]
    counter = make_dossier("submitted", procedure=procedure, delivery_method="counter")
    assert counter.amount_due == FEE
