"""A courier that books every parcel and reports nothing by itself: the portal without the simulated post office."""

import itertools

from postal.providers.base import BookedParcel, CourierProvider, ParcelRequest

_serials = itertools.count(1)


class FakeCourier(CourierProvider):
    name = "fake"

    def book(self, parcel: ParcelRequest) -> BookedParcel:
        return BookedParcel(tracking_number=f"FK{next(_serials):09d}VN")
