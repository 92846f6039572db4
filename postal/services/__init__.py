from postal.services.notices import APPLIED, DUPLICATE, IGNORED, shipment_notice_receive
from postal.services.outbound import CourierUnavailable, shipment_create_outbound

__all__ = [
    "APPLIED",
    "DUPLICATE",
    "IGNORED",
    "CourierUnavailable",
    "shipment_create_outbound",
    "shipment_notice_receive",
]
