"""What the console shows: the clock, the world's dossiers by status, the scenarios' recent dossiers."""

from django.db.models import Count

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier


def world_status_counts() -> list[tuple[str, str, int]]:
    counts = dict(Dossier.objects.values_list("status").annotate(n=Count("id")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in DossierStatus.choices]


def overdue_count() -> int:
    return Dossier.objects.filter(overdue_flagged_at__isnull=False).count()


def clock_state() -> dict:
    return {"now": clock.now(), "offset": clock.offset(), "real": clock.is_real_time()}
