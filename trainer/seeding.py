"""seeds/demo_world.json: the demo officials of every agency that serves a procedure, and the size of
the generated history. Loading it also builds the demo world, once: a portal that already holds
dossiers is left as it is (`python manage.py demo_reset` starts it again).

File shape: {"password": "...", "accounts": [as in demo_accounts.json], "seed": 2026,
"history": [{"agency": CODE, "dossiers": N, "online": M}, ...]}.
"""

from django.db import transaction

from dossiers.models import Dossier
from portal.accounts.seeding import load_demo_accounts
from portal.seeding import SeedError
from procedures.models import Agency
from trainer.world import world_build

DEFAULT_SEED = 2026


def check_plan(data, *, file_name: str) -> list[dict]:
    history = data.get("history", []) if isinstance(data, dict) else None
    if not isinstance(history, list):
        raise SeedError(file_name, None, '"history" must be a list')
    for index, entry in enumerate(history):
        if not isinstance(entry, dict) or not {"agency", "dossiers", "online"} <= set(entry):
            raise SeedError(file_name, index, "a history entry needs agency, dossiers and online")
        if not Agency.objects.filter(code=entry["agency"]).exists():
            raise SeedError(file_name, index, f"agency {entry['agency']} not found")
        if not (isinstance(entry["dossiers"], int) and isinstance(entry["online"], int)):
            raise SeedError(file_name, index, "dossiers and online must be whole numbers")
    return history


def load_demo_world(data, *, file_name: str, history: bool = True) -> int:
    plan = check_plan(data, file_name=file_name)
    with transaction.atomic():
        accounts = load_demo_accounts(data, file_name=file_name)
    if Dossier.objects.exists():
        return accounts
    report = world_build(history=plan if history else [], seed=data.get("seed", DEFAULT_SEED))
    return accounts + report.dossiers + report.history
