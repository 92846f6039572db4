"""The periodic overdue sweep; imported by dossiers/tasks.py so the worker registers it."""

from celery import shared_task

from dossiers.services.overdue import dossiers_flag_overdue


@shared_task
def flag_overdue_dossiers() -> int:
    # Safe to run twice or concurrently: flagged rows are skipped, locked rows left to the other run.
    return dossiers_flag_overdue()
