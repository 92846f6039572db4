"""Every rule of the courier's notice: signature, staleness, replay, order, unknown parcels, bad bodies."""

import time

import pytest
import time_machine

from payments import signing as gateway_signing
from postal.models import ShipmentEvent
from tests.postal.helpers import notice_bytes, post_notice

pytestmark = pytest.mark.django_db


def now_ts() -> int:
    return int(time.time())


def steps(shipment) -> list[str]:
    return list(ShipmentEvent.objects.filter(shipment=shipment).values_list("status", flat=True))


def test_a_valid_notice_moves_the_shipment_and_records_when_and_where(api_client, shipment):
    response = post_notice(api_client, notice_bytes(shipment, "picked_up", location="UBND xã"))
    assert response.status_code == 200 and response.json() == {"result": "applied"}
    shipment.refresh_from_db()
    assert shipment.status == "picked_up"
    event = shipment.events.get(status="picked_up")
    assert event.location == "UBND xã" and event.occurred_at is not None


def test_bad_signature_is_400_and_changes_nothing(api_client, shipment):
    forged = f"t={now_ts()},v1={'0' * 64}"
    response = post_notice(api_client, notice_bytes(shipment, "picked_up"), signature=forged)
    assert response.status_code == 400 and "signature" in response.json()
    shipment.refresh_from_db()
    assert shipment.status == "created" and steps(shipment) == ["created"]


def test_the_payment_gateways_key_does_not_sign_courier_notices(api_client, shipment):
    body = notice_bytes(shipment, "picked_up")
    assert post_notice(api_client, body, signature=gateway_signing.sign(body)).status_code == 400


def test_signature_covers_the_raw_bytes(api_client, shipment):
    body = notice_bytes(shipment, "picked_up")
    response = post_notice(
        api_client, body.replace(b",", b", "), signature=post_notice.__globals__["signing"].sign(body)
    )
    assert response.status_code == 400


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_more_than_five_minutes_off_is_stale(api_client, shipment, skew):
    with time_machine.travel(time.time(), tick=False):
        response = post_notice(api_client, notice_bytes(shipment, "picked_up"), timestamp=now_ts() + skew)
    assert response.status_code == 400
    assert response.json()["signature"] == ["Thông báo đã quá hạn (dấu thời gian lệch quá 5 phút)."]
    shipment.refresh_from_db()
    assert shipment.status == "created"


def test_the_same_notice_twice_is_200_and_changes_nothing(api_client, shipment):
    body = notice_bytes(shipment, "picked_up")
    assert post_notice(api_client, body).json() == {"result": "applied"}
    again = post_notice(api_client, body)
    assert again.status_code == 200 and again.json() == {"result": "duplicate"}
    assert steps(shipment) == ["created", "picked_up"]


def test_an_earlier_status_after_a_later_one_is_200_and_changes_nothing(api_client, shipment):
    assert post_notice(api_client, notice_bytes(shipment, "in_transit")).json() == {"result": "applied"}
    late = post_notice(api_client, notice_bytes(shipment, "picked_up"))
    assert late.status_code == 200 and late.json() == {"result": "ignored"}
    shipment.refresh_from_db()
    assert shipment.status == "in_transit" and steps(shipment) == ["created", "in_transit"]


def test_nothing_moves_a_delivered_shipment_and_only_a_failed_one_is_returned(api_client, shipment):
    assert post_notice(api_client, notice_bytes(shipment, "returned")).json() == {"result": "ignored"}
    assert post_notice(api_client, notice_bytes(shipment, "delivered")).json() == {"result": "applied"}
    for status in ("failed", "returned", "out_for_delivery"):
        assert post_notice(api_client, notice_bytes(shipment, status)).json() == {"result": "ignored"}
    shipment.refresh_from_db()
    assert shipment.status == "delivered" and steps(shipment) == ["created", "delivered"]


def test_an_unknown_tracking_number_is_400_naming_it(api_client, shipment):
    shipment.tracking_number = "RB000000000VN"  # not saved: the notice names a parcel the portal never booked
    response = post_notice(api_client, notice_bytes(shipment, "picked_up"))
    assert response.status_code == 400
    assert response.json()["tracking_number"] == ["Không có bưu gửi với số hiệu này."]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (b"[1, 2]", "body"),
        (b'{"tracking_number": "X", "status": "lost", "occurred_at": "2026-12-01T10:00:00+07:00"}', "status"),
        (b'{"tracking_number": "X", "status": "created", "occurred_at": "2026-12-01T10:00:00+07:00"}', "status"),
        (b'{"tracking_number": "X", "status": "picked_up", "occurred_at": "yesterday"}', "occurred_at"),
        (b'{"tracking_number": "X", "status": "picked_up", "occurred_at": "2026-12-01T10:00:00"}', "occurred_at"),
        (
            b'{"tracking_number": 7, "status": "picked_up", "occurred_at": "2026-12-01T10:00:00+07:00"}',
            "tracking_number",
        ),
    ],
)
def test_a_malformed_notice_is_400_naming_the_field(api_client, db, body, field):
    response = post_notice(api_client, body)
    assert response.status_code == 400 and field in response.json()
