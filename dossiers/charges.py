"""What a dossier costs its applicant: the catalog's fee policy applied to this dossier's channel and delivery.

A result sent by post costs postage. Paid online (a level-4 dossier submitted online), the postage is part
of what the dossier owes and of the online payment. Otherwise the applicant pays the postman on delivery
(cash on delivery): the fee still owed, which the portal records through the workflow's one money
writer, and the postage, which is the post office's own.
"""

from datetime import date

from django.utils import timezone

from dossiers.constants import IntakeChannel
from dossiers.models import Dossier
from procedures.constants import OnlineLevel
from procedures.fees import FeeBreakdown, fee_breakdown, postage_for


def dossier_postage(dossier: Dossier) -> int:
    address = dossier.delivery_address or {}
    return postage_for(
        agency=dossier.agency,
        delivery_method=dossier.delivery_method,
        province=address.get("province", ""),
        province_code=address.get("province_code"),
    )


def postage_paid_online(dossier: Dossier) -> bool:
    return dossier.procedure.online_level == OnlineLevel.LEVEL_4 and dossier.channel == IntakeChannel.ONLINE


def postage_on_delivery(dossier: Dossier) -> int:
    """The postage the postman collects himself (nothing when it was paid online with the fee)."""
    return 0 if postage_paid_online(dossier) else dossier_postage(dossier)


def dossier_fee_breakdown(dossier: Dossier, *, day: date | None = None) -> FeeBreakdown:
    """On the day the dossier was submitted (or today for a draft): the day its amount was fixed."""
    if day is None and dossier.submitted_at:
        day = timezone.localdate(dossier.submitted_at)
    postage = dossier_postage(dossier) if postage_paid_online(dossier) else 0
    return fee_breakdown(procedure=dossier.procedure, channel=dossier.channel, day=day, postage=postage)
