"""Working-day calendar: Vietnamese public holidays, weekends and admin overrides, plus office hours.

The `holidays` package knows Tết, the fixed holidays and the government's announced
swaps (make-up Saturdays in `weekend_workdays`); future years are projections, so
CalendarOverride rows (extra days off, make-up working days) are layered on top and win.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

from procedures.constants import CalendarDayKind
from procedures.models import CalendarOverride

# A deadline of N working days never needs more than this many calendar days per
# working day (Tết plus weekends is the worst stretch); it bounds the overrides fetched.
_CALENDAR_DAYS_PER_WORKING_DAY = 3
_SLACK_DAYS = 40


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


def _national_is_working_day(day: date) -> bool:
    return _national_holidays(day.year).is_working_day(day)


def national_holiday_name(day: date) -> str | None:
    return _national_holidays(day.year).get(day)


def _parse_clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def office_time_zone() -> ZoneInfo:
    return ZoneInfo(settings.OFFICE_TIME_ZONE)


def office_hours() -> tuple[time, time]:
    return _parse_clock(settings.OFFICE_OPENS_AT), _parse_clock(settings.OFFICE_CLOSES_AT)


@dataclass
class WorkingCalendar:
    """National rules plus the overrides of one date range, fetched in one query."""

    overrides: dict[date, str] = field(default_factory=dict)

    @classmethod
    def for_range(cls, start: date, end: date) -> "WorkingCalendar":
        rows = CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "kind")
        return cls(overrides=dict(rows))

    def is_working_day(self, day: date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == CalendarDayKind.WORKING_DAY
        return _national_is_working_day(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: datetime, days: int) -> datetime:
        if days < 0:
            raise ValueError("days must be zero or positive")
        if timezone.is_naive(start):
            raise ValueError("start must be an aware datetime")
        tz = office_time_zone()
        opens, closes = office_hours()
        local = start.astimezone(tz)
        day, clock = local.date(), local.time().replace(tzinfo=None)
        # Arrival outside office hours counts from the next opening.
        if not self.is_working_day(day) or clock >= closes:
            day, clock = self.next_working_day(day), opens
        elif clock < opens:
            clock = opens
        if days == 0:
            return datetime.combine(day, closes, tzinfo=tz)
        for _ in range(days):
            day = self.next_working_day(day)
        return datetime.combine(day, clock, tzinfo=tz)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def _local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(office_time_zone()).date() if timezone.is_aware(value) else value.date()
    return value


def is_working_day(day: date) -> bool:
    return WorkingCalendar.for_range(day, day).is_working_day(day)


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` working days after `start` (an aware datetime), in office time.

    Arrival outside office hours or on a non-working day counts from the next working
    day's opening; N days later lands at the same time of day; 0 days is the end of
    that working day.
    """
    first = _local_date(start)
    span = days * _CALENDAR_DAYS_PER_WORKING_DAY + _SLACK_DAYS
    while True:
        horizon = first + timedelta(days=span)
        result = WorkingCalendar.for_range(first, horizon).add_working_days(start, days)
        # Overrides past the horizon were not fetched; a long admin closure can push the
        # answer that far, so widen the window and ask again.
        if result.date() <= horizon:
            return result
        span *= 2


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    a, b = _local_date(start), _local_date(end)
    return WorkingCalendar.for_range(min(a, b), max(a, b)).working_days_between(a, b)
