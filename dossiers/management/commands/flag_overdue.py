from django.core.management.base import BaseCommand

from dossiers.services.overdue import dossiers_flag_overdue


class Command(BaseCommand):
    help = "Flag received dossiers past their appointment and notify assignees and leaders (the periodic task)."

    def handle(self, *args, **options):
        count = dossiers_flag_overdue()
        self.stdout.write(f"{count} dossier(s) newly flagged overdue")
