from django.core.management.base import BaseCommand

from dossiers.queue_counts import queue_counts_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the queues' kept counts per agency and status from the dossiers: after a load that bypassed "
        "the workflow (bulk SQL, a history generator). Run it while no dossier moves."
    )

    def handle(self, *args, **options):
        rows = queue_counts_rebuild()
        self.stdout.write(f"{rows} agency/status count(s) rebuilt")
