import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min

from dossiers.models import Dossier
from figures.rollups import rebuild_rollups
from figures.scope import agency_subtree_ids, today
from procedures.calendar import office_time_zone
from procedures.models import Agency


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Recompute the daily rollups from the dossiers: from --from (default: the first dossier's day) to --to "
        "(default: today), for --agency CODE and the agencies under it (default: every agency)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", type=_day)
        parser.add_argument("--to", dest="date_to", type=_day)
        parser.add_argument("--agency", help="agency code; its subtree is rebuilt with it")

    def handle(self, *args, date_from=None, date_to=None, agency=None, **options):
        date_to = date_to or today()
        if date_from is None:
            first = Dossier.objects.aggregate(first=Min("created_at"))["first"]
            date_from = first.astimezone(office_time_zone()).date() if first else date_to
        if date_from > date_to:
            raise CommandError("--from is after --to")
        agency_ids = None
        if agency:
            found = Agency.objects.filter(code=agency).first()
            if found is None:
                raise CommandError(f"No agency with code {agency}")
            agency_ids = agency_subtree_ids(agency=found)
        started = time.monotonic()
        written = rebuild_rollups(date_from=date_from, date_to=date_to, agency_ids=agency_ids)
        elapsed = time.monotonic() - started
        self.stdout.write(f"{written} rollup row(s) written for {date_from} – {date_to} in {elapsed:.1f} s")
