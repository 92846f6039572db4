"""The courier interface. A real postal operator (VNPost's BCCI service) plugs in here.

The portal books parcels with whatever `settings.COURIER_PROVIDER` names and never asks which one
it is; the courier reports each step back through the signed webhook (postal.services.notices).
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class ProviderError(Exception):
    """The courier could not be reached or refused the booking; nothing was booked."""


@dataclass(frozen=True)
class ParcelRequest:
    reference: str  # the portal's id for the shipment, unique
    sender_name: str
    sender_address: str
    recipient: dict  # province, district, commune, street, recipient_name, recipient_phone
    cod_amount: int  # what the postman collects on delivery, whole VND
    same_province: bool


@dataclass(frozen=True)
class BookedParcel:
    tracking_number: str


class CourierProvider:
    name = "base"

    def book(self, parcel: ParcelRequest) -> BookedParcel:
        raise NotImplementedError


@cache
def provider_class(path: str) -> type[CourierProvider]:
    return import_string(path)


def get_provider() -> CourierProvider:
    return provider_class(settings.COURIER_PROVIDER)()
