"""What the console shows: the clock, the world's dossiers by status, the scenarios' recent dossiers."""

from django.db.models import Count

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.selectors import overdue_q


def world_status_counts() -> list[tuple[str, str, int]]:
    counts = dict(Dossier.objects.values_list("status").annotate(n=Count("id")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in DossierStatus.choices]


def overdue_count() -> int:
    """Dossiers past their appointment now (open, received, clock running), as the queues count them."""
    return Dossier.objects.filter(overdue_q(clock.now())).count()


def clock_state() -> dict:
    offset = clock.offset()
    hours = offset.seconds // 3600
    return {"now": clock.now(), "real": clock.is_real_time(), "days": offset.days, "hours": hours}


def dossier_for_diagram(code: str) -> Dossier | None:
    """The dossier whose path the console's workflow diagram highlights, by its code (any letter case)."""
    code = " ".join((code or "").split())
    if not code:
        return None
    return Dossier.objects.filter(code__iexact=code).prefetch_related("events").first()
