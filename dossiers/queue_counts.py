"""Kept counts of each agency's dossiers per status: moved with every status change, rebuilt on demand.

One statement per move, an upsert of the (at most two) rows sorted by status: concurrent moves at one
agency lock the rows in the same order, so they queue behind each other and never deadlock.
"""

from collections.abc import Collection

from django.db import connection, transaction
from django.db.models import Count

from dossiers.constants import DossierStatus
from dossiers.models import Dossier, QueueCount

_TABLE = QueueCount._meta.db_table


def queue_counts_move(*, agency_id: int, from_status: str, to_status: str) -> None:
    """Inside the transaction that moves a dossier of `agency_id` from one status to the other."""
    deltas: dict[str, int] = {}
    if from_status != DossierStatus.DRAFT:
        deltas[from_status] = deltas.get(from_status, 0) - 1
    if to_status != DossierStatus.DRAFT:
        deltas[to_status] = deltas.get(to_status, 0) + 1
    rows = [(agency_id, str(status), delta) for status, delta in sorted(deltas.items()) if delta]
    if not rows:
        return
    table = connection.ops.quote_name(_TABLE)
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, status, count) VALUES {values} "  # noqa: S608 (names are ours)
            f"ON CONFLICT (agency_id, status) DO UPDATE SET count = {table}.count + excluded.count",
            [value for row in rows for value in row],
        )


@transaction.atomic
def queue_counts_rebuild(*, agency_ids: Collection[int] | None = None) -> int:
    """Count the agencies' dossiers (every agency's, or those given) per status afresh, for a load that
    bypassed the workflow (bulk SQL, a history generator) or to check; run it while none of their dossiers
    moves. Returns the number of rows kept."""
    kept = QueueCount.objects.all()
    dossiers = Dossier.objects.all()
    if agency_ids is not None:
        kept, dossiers = kept.filter(agency_id__in=agency_ids), dossiers.filter(agency_id__in=agency_ids)
    kept.delete()
    counted = (
        dossiers.exclude(status=DossierStatus.DRAFT)
        .values_list("agency_id", "status")
        .annotate(rows=Count("pk"))
        .order_by()
    )
    QueueCount.objects.bulk_create(
        [QueueCount(agency_id=agency_id, status=status, count=rows) for agency_id, status, rows in counted]
    )
    return kept.count()
