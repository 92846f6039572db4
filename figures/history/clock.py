"""Office time for the history generator.

The catalog's working-day calendar (national holidays, weekends, an admin's overrides) is decided
once for every day of a span, so a million appointment dates cost no query each; the appointment
arithmetic itself is the catalog's own (`WorkingCalendar.add_working_days`, `working_days_between`).
Officials act in office hours: a position counted in office minutes since the first working day of
the span maps to a moment that always falls inside them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from procedures.calendar import WorkingCalendar, office_hours, office_time_zone


@dataclass
class PrecomputedCalendar(WorkingCalendar):
    """WorkingCalendar with the days of one span decided in advance; its methods are the catalog's."""

    days: dict = field(default_factory=dict)

    @classmethod
    def for_span(cls, start: date, end: date) -> "PrecomputedCalendar":
        calendar = cls(overrides=WorkingCalendar.for_range(start, end).overrides)
        day = start
        while day <= end:
            calendar.days[day] = WorkingCalendar.is_working_day(calendar, day)
            day += timedelta(days=1)
        return calendar

    def is_working_day(self, day: date) -> bool:
        known = self.days.get(day)
        return WorkingCalendar.is_working_day(self, day) if known is None else known


def _minutes(clock) -> float:
    return clock.hour * 60 + clock.minute + clock.second / 60 + clock.microsecond / 60_000_000


class OfficeClock:
    """Moments in office hours, counted as office minutes since the opening of the span's first working day."""

    def __init__(self, start: date, end: date):
        self.calendar = PrecomputedCalendar.for_span(start, end)
        self.tz = office_time_zone()
        self.opens, self.closes = office_hours()
        self.open_minute, self.close_minute = _minutes(self.opens), _minutes(self.closes)
        self.day_minutes = self.close_minute - self.open_minute
        span = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        self.working_days = [day for day in span if self.calendar.is_working_day(day)]
        self.index = {day: n for n, day in enumerate(self.working_days)}
        self.openings = [datetime.combine(day, self.opens, tzinfo=self.tz) for day in self.working_days]
        # For every day of the span: the index of the first working day strictly after it.
        self.next_index, upcoming = {}, len(self.working_days)
        for day in reversed(span):
            self.next_index[day] = upcoming
            if day in self.index:
                upcoming = self.index[day]
        self.start, self.end = start, end
        self._landings: dict = {}
        self._between: dict = {}

    def is_working_day(self, day: date) -> bool:
        return self.calendar.is_working_day(day)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def position(self, moment: datetime) -> float:
        """Office minutes up to `moment`; outside office hours, the next opening's position."""
        local = moment.astimezone(self.tz)
        day, minute = local.date(), _minutes(local)
        n = self.index.get(day)
        if n is not None and minute < self.close_minute:
            return n * self.day_minutes + max(minute - self.open_minute, 0.0)
        return self.next_index[day] * self.day_minutes

    def moment(self, position: float) -> datetime:
        n = int(position // self.day_minutes)
        return self.openings[n] + timedelta(minutes=position - n * self.day_minutes)

    def after(self, moment: datetime, minutes: float) -> datetime:
        """`minutes` of office time after `moment` (counted from the next opening when outside hours)."""
        return self.moment(self.position(moment) + minutes)

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.opens, tzinfo=self.tz)

    def appointment(self, received_at: datetime, processing_days: int) -> datetime:
        """dossiers.deadlines.appointment_date: the catalog's add_working_days, asked once per day and case.

        Its answer depends on the start only through the local day, whether the start is before, within
        or after office hours, and the start's time of day (kept when within hours); the day it lands
        on is remembered per (day, after hours, days).
        """
        local = received_at.astimezone(self.tz)
        day, clock = local.date(), local.timetz()
        late = clock.replace(tzinfo=None) >= self.closes or not self.calendar.is_working_day(day)
        key = (day, late, processing_days)
        landing = self._landings.get(key)
        if landing is None:
            landing = self._landings[key] = self.calendar.add_working_days(received_at, processing_days).date()
        if processing_days == 0:
            at = self.closes
        elif late or clock.replace(tzinfo=None) < self.opens:
            at = self.opens
        else:
            at = clock.replace(tzinfo=None)
        return datetime.combine(landing, at, tzinfo=self.tz)

    def working_days_between(self, start: date, end: date) -> int:
        key = (start, end)
        found = self._between.get(key)
        if found is None:
            found = self._between[key] = self.calendar.working_days_between(start, end)
        return found

    def appointment_after_pause(self, *, due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
        """dossiers.deadlines.appointment_after_pause, on the same calendar."""
        paused_days = self.working_days_between(
            paused_at.astimezone(self.tz).date(), resumed_at.astimezone(self.tz).date()
        )
        return self.appointment(due_at, paused_days) if paused_days else due_at
