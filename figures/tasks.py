"""Figures background work: thin, idempotent wrappers (a rerun recomputes the same rows)."""

from datetime import date

from celery import shared_task

from figures.receivers import RECOMPUTE_TASK
from figures.rollups import rollups_recompute_for_dossier, rollups_reconcile


@shared_task(name=RECOMPUTE_TASK)
def recompute_rollups_for_dossier(dossier_id: int, day: str) -> int:
    return rollups_recompute_for_dossier(dossier_id=dossier_id, day=date.fromisoformat(day))


@shared_task
def reconcile_rollups() -> int:
    return rollups_reconcile()
