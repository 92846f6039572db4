from django.core.management.base import BaseCommand

from portal.notifications.services import messages_relay_queued


class Command(BaseCommand):
    help = "Hand queued outbox messages to the worker again (what the periodic relay task does)."

    def handle(self, *args, **options):
        count = messages_relay_queued()
        self.stdout.write(f"{count} message(s) handed to the broker")
