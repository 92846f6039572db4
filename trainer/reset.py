"""Back to the demo's known state: every dossier and what hangs off it removed, the people the demo
added removed, the clock back on real time, then the seeds and the demo world loaded again."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction

import portal.clock as clock
from dossiers.models import (
    Attachment,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    EResult,
    QueueCount,
    Rating,
    StoredDocument,
)
from figures.models import DailyRollup
from payments.models import Payment, PaymentAlert, PaymentEvent, ReceiptCounter
from payments.providers.mockpay.models import GatewayNotice, GatewayTransaction
from portal.accounts.models import PhoneOTP
from portal.notifications.models import OutboundMessage
from portal.seeding import SEEDS_DIR, load_seeds, read_seed_file
from postal.models import Shipment, ShipmentEvent
from postal.providers.mockpost.models import Parcel, ParcelNotice

# Children before parents, so no foreign key is left pointing at a removed row.
WORLD_TABLES = (
    ParcelNotice,
    Parcel,
    GatewayNotice,
    GatewayTransaction,
    ShipmentEvent,
    Shipment,
    PaymentEvent,
    PaymentAlert,
    Payment,
    ReceiptCounter,
    Rating,
    StoredDocument,
    EResult,
    Attachment,
    DossierEvent,
    Dossier,
    DossierCodeCounter,
    QueueCount,
    DailyRollup,
    OutboundMessage,
    PhoneOTP,
)
ACCOUNT_FILES = ("demo_accounts.json", "demo_world.json")


def seeded_phones() -> set[str]:
    phones = set()
    for name in ACCOUNT_FILES:
        phones |= {record["phone"] for record in read_seed_file(SEEDS_DIR / name).get("accounts", [])}
    return phones


def _stored_files() -> set[str]:
    names = set(Attachment.objects.exclude(file="").values_list("file", flat=True).distinct())
    names |= set(Attachment.objects.exclude(thumbnail="").values_list("thumbnail", flat=True).distinct())
    names |= set(Dossier.objects.exclude(result_file="").values_list("result_file", flat=True).distinct())
    return names


@transaction.atomic
def world_clear() -> None:
    storage = Attachment._meta.get_field("file").storage
    files = _stored_files()
    for model in WORLD_TABLES:
        model.objects.all()._raw_delete(model.objects.db)
    get_user_model().objects.exclude(phone__in=seeded_phones()).exclude(is_superuser=True).delete()
    for name in files:
        transaction.on_commit(lambda name=name: storage.delete(name))


def demo_reset(*, log: Callable[[str], None] = lambda line: None) -> dict:
    """Clear the world and load it again (seeds, demo accounts, dossiers, history); returns the counts."""
    world_clear()
    clock.reset()
    return load_seeds(demo=True, log=log)
