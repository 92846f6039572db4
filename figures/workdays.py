"""The working-day calendar as a table (WorkingDayOrdinal), kept in step with procedures.calendar.

Rows are written when a range is first needed and dropped whenever an admin changes the calendar
(CalendarOverride saved or deleted: FiguresConfig.ready), so the next use writes them again.
"""

from datetime import date, timedelta

from django.db.models import Min

from dossiers.models import Dossier
from figures.models import WorkingDayOrdinal
from procedures.calendar import WorkingCalendar, office_time_zone

EPOCH = date(2000, 1, 1)
# Rows reach this far past the range asked for, so a day's task rarely has anything to write.
AHEAD = timedelta(days=366)


def ordinals_ensure(*, date_from: date, date_to: date) -> None:
    """Make sure every day from `date_from` to `date_to` has its row (one query when they all do)."""
    expected = (date_to - date_from).days + 1
    if WorkingDayOrdinal.objects.filter(day__range=(date_from, date_to)).count() == expected:
        return
    start, end = min(date_from, EPOCH), max(date_to + AHEAD, EPOCH)
    calendar = WorkingCalendar.for_range(start, end)
    rows, ordinal, day = [], 0, start
    # Walk from the earlier of the range and EPOCH, then shift so that EPOCH has ordinal 0.
    while day <= end:
        if day != start:
            ordinal += calendar.is_working_day(day)
        rows.append((day, ordinal))
        day += timedelta(days=1)
    at_epoch = dict(rows)[EPOCH]
    WorkingDayOrdinal.objects.bulk_create(
        [WorkingDayOrdinal(day=d, ordinal=o - at_epoch) for d, o in rows if d >= date_from],
        batch_size=2000,
        ignore_conflicts=True,
    )


def ordinals_ensure_for_dossiers(*, date_to: date) -> None:
    """Rows from the first day any dossier was received: processing time reaches back to it."""
    first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    date_from = first.astimezone(office_time_zone()).date() if first else date_to
    ordinals_ensure(date_from=min(date_from, date_to), date_to=date_to)


def ordinals_forget(**kwargs) -> None:
    """The calendar changed: every row may be wrong now; they are written again when next needed."""
    WorkingDayOrdinal.objects.all().delete()
