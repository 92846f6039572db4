from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from procedures.calendar import add_working_days, is_working_day, working_days_between
from procedures.constants import CalendarDayKind
from procedures.models import CalendarOverride

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=VN)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-03-10", True),  # an ordinary Tuesday
        ("2026-03-14", False),  # Saturday
        ("2026-03-15", False),  # Sunday
        ("2026-01-01", False),  # New Year
        ("2026-02-16", False),  # Tết: Giao thừa
        ("2026-02-17", False),  # Tết: Mùng một
        ("2026-02-20", False),  # Tết: Mùng bốn
        ("2026-02-23", True),  # first working day after Tết
        ("2026-04-27", False),  # Hùng Kings, substitute for Sunday 26/4
        ("2026-04-30", False),
        ("2026-05-01", False),
        ("2026-08-31", False),  # swapped with Saturday 22/8
        ("2026-08-22", True),  # make-up Saturday announced by the government
        ("2026-08-29", False),  # an ordinary Saturday
        ("2026-09-01", False),
        ("2026-09-02", False),
    ],
)
def test_national_calendar(day, working):
    assert is_working_day(date.fromisoformat(day)) is working


@pytest.mark.django_db
def test_overrides_win_over_the_national_calendar():
    assert is_working_day(date(2026, 1, 2)) is True
    assert is_working_day(date(2026, 1, 10)) is False
    CalendarOverride.objects.create(date=date(2026, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bù")
    CalendarOverride.objects.create(date=date(2026, 1, 10), kind=CalendarDayKind.WORKING_DAY, name="Làm bù")
    CalendarOverride.objects.create(date=date(2026, 2, 16), kind=CalendarDayKind.WORKING_DAY, name="Trực Tết")
    assert is_working_day(date(2026, 1, 2)) is False
    assert is_working_day(date(2026, 1, 10)) is True
    assert is_working_day(date(2026, 2, 16)) is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (at("2026-03-10", "09:00"), 1, at("2026-03-11", "09:00")),  # same time next working day
        (at("2026-03-10", "09:00"), 3, at("2026-03-13", "09:00")),
        (at("2026-03-13", "10:00"), 1, at("2026-03-16", "10:00")),  # Friday → Monday
        (at("2026-03-13", "18:00"), 1, at("2026-03-17", "07:30")),  # Friday evening counts from Monday opening
        (at("2026-03-10", "06:15"), 1, at("2026-03-11", "07:30")),  # before opening
        (at("2026-03-10", "17:00"), 1, at("2026-03-12", "07:30")),  # at closing time is after hours
        (at("2026-03-10", "16:59"), 1, at("2026-03-11", "16:59")),
        (at("2026-03-14", "10:00"), 2, at("2026-03-18", "07:30")),  # Saturday arrival
        (at("2026-03-10", "09:00"), 0, at("2026-03-10", "17:00")),  # 0 days: end of that working day
        (at("2026-03-14", "09:00"), 0, at("2026-03-16", "17:00")),
        (at("2026-03-10", "20:00"), 0, at("2026-03-11", "17:00")),
        (at("2026-02-13", "10:00"), 1, at("2026-02-23", "10:00")),  # over Tết
        (at("2026-02-16", "10:00"), 1, at("2026-02-24", "07:30")),  # arrival during Tết
        (at("2026-04-29", "10:00"), 1, at("2026-05-04", "10:00")),  # over 30/4–1/5
        (at("2026-08-28", "10:00"), 1, at("2026-09-03", "10:00")),  # over 31/8–2/9
        (at("2026-08-21", "10:00"), 1, at("2026-08-22", "10:00")),  # onto the make-up Saturday
        (datetime(2026, 3, 10, 2, 0, tzinfo=UTC), 1, at("2026-03-11", "09:00")),  # UTC input, office time out
    ],
)
def test_add_working_days(start, days, expected):
    result = add_working_days(start, days)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.django_db
def test_add_working_days_uses_overrides():
    CalendarOverride.objects.create(date=date(2026, 1, 10), kind=CalendarDayKind.WORKING_DAY, name="Làm bù")
    CalendarOverride.objects.create(date=date(2026, 3, 12), kind=CalendarDayKind.DAY_OFF, name="Nghỉ đột xuất")
    assert add_working_days(at("2026-01-09", "10:00"), 1) == at("2026-01-10", "10:00")
    assert add_working_days(at("2026-03-11", "10:00"), 1) == at("2026-03-13", "10:00")
    assert add_working_days(at("2026-03-12", "10:00"), 0) == at("2026-03-13", "17:00")


@pytest.mark.django_db
def test_a_long_closure_beyond_the_first_window_is_still_seen():
    # 120 days off in a row: more than the first fetched window for a 1-day deadline.
    start = date(2027, 3, 1)
    CalendarOverride.objects.bulk_create(
        CalendarOverride(date=date.fromordinal(start.toordinal() + n), kind=CalendarDayKind.DAY_OFF)
        for n in range(1, 121)
    )
    result = add_working_days(at("2027-03-01", "09:00"), 1)
    assert result.date() > date(2027, 6, 29)
    assert is_working_day(result.date())


@pytest.mark.django_db
def test_add_working_days_reads_overrides_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(at("2026-01-05", "09:00"), 60)


@pytest.mark.django_db
def test_add_working_days_rejects_naive_and_negative():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 10, 9, 0), 1)
    with pytest.raises(ValueError):
        add_working_days(at("2026-03-10", "09:00"), -1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 10), date(2026, 3, 10), 0),
        (date(2026, 3, 10), date(2026, 3, 11), 1),
        (date(2026, 3, 13), date(2026, 3, 16), 1),  # over a weekend
        (date(2026, 2, 13), date(2026, 2, 23), 1),  # over Tết
        (date(2026, 3, 2), date(2026, 3, 30), 20),
        (date(2026, 3, 16), date(2026, 3, 13), -1),
        (at("2026-03-13", "23:30"), at("2026-03-16", "08:00"), 1),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected
