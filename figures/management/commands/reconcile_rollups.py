from django.conf import settings
from django.core.management.base import BaseCommand

from figures.rollups import rollups_reconcile


class Command(BaseCommand):
    help = "Recompute every agency's rollups of the last FIGURES_RECONCILE_DAYS days (the periodic reconciliation)."

    def handle(self, *args, **options):
        written = rollups_reconcile()
        days = settings.FIGURES_RECONCILE_DAYS
        self.stdout.write(f"{written} rollup row(s) written for the last {days} day(s)")
