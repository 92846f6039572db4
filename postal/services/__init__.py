from postal.services.notices import APPLIED, DUPLICATE, IGNORED, shipment_notice_receive
from postal.services.outbound import CourierUnavailable, shipment_create_outbound
from postal.services.pickups import pickup_register_arrival, pickup_request

__all__ = [
    "APPLIED",
    "DUPLICATE",
    "IGNORED",
    "CourierUnavailable",
    "pickup_register_arrival",
    "pickup_request",
    "shipment_create_outbound",
    "shipment_notice_receive",
]
