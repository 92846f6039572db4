from django.core.management.base import BaseCommand, CommandError

from portal.formatting import local_datetime
from portal.notifications.selectors import outbox_latest


class Command(BaseCommand):
    help = "Print messages the SMS/e-mail simulators sent (the outbox), newest first."

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="recipient", help="phone number or e-mail address")
        parser.add_argument("--last", action="store_true", help="only the newest message")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, recipient=None, last=False, limit=10, **options):
        messages = list(outbox_latest(recipient=recipient, limit=1 if last else limit))
        if not messages:
            raise CommandError(f"No message sent to {recipient}." if recipient else "The outbox is empty.")
        for message in messages:
            when = local_datetime(message.created_at, "Y-m-d H:i:s")
            self.stdout.write(f"[{when}] {message.channel} → {message.recipient} ({message.status})")
            if message.subject:
                self.stdout.write(f"Subject: {message.subject}")
            self.stdout.write(message.body)
