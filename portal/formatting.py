"""How the portal writes amounts and times for people: whole đồng grouped by dots, local dates.

Django's `vi` locale sets no number grouping, so `intcomma` would print 135000; and times are
stored in UTC, so each one is shown in the portal's time zone.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

NO_VALUE = "—"
DATETIME = "H:i, d/m/Y"


def vnd(amount: int) -> str:
    """135000 → "135.000", as Vietnamese fee schedules print amounts (đồng have no minor unit)."""
    return f"{int(amount):,}".replace(",", ".")


def dong(amount: int) -> str:
    """ "135.000 đồng", for the papers printed in Vietnamese only; pages translate the unit on their own."""
    return f"{vnd(amount)} đồng"


def local_datetime(value: datetime | None, pattern: str = DATETIME, *, empty: str = NO_VALUE) -> str:
    """An aware date-time in the portal's time zone, in a Django date pattern ("H:i, d/m/Y")."""
    return date_format(timezone.localtime(value), pattern) if value else empty


def masked_phone(phone: str) -> str:
    """'0912345678' → '091****678': enough for a person to recognise their number, not to learn someone else's."""
    return f"{phone[:3]}****{phone[-3:]}" if len(phone) >= 6 else phone
