"""The portal's side of the mockpost simulator: the CourierProvider a real postal operator would replace.

A real provider would call the operator's booking API here; the simulator lives in this process, so
the call is direct, but it goes through the same interface and carries the same data.
"""

from postal.providers.base import BookedParcel, CourierProvider, ParcelRequest
from postal.providers.mockpost import simulator


class MockPostProvider(CourierProvider):
    name = "mockpost"

    def book(self, parcel: ParcelRequest) -> BookedParcel:
        booked = simulator.parcel_book(
            merchant_reference=parcel.reference,
            sender_name=parcel.sender_name,
            sender_address=parcel.sender_address,
            recipient=parcel.recipient,
            cod_amount=parcel.cod_amount,
            same_province=parcel.same_province,
        )
        return BookedParcel(tracking_number=booked.tracking_number)
