"""When dossiers arrive and for which procedure: exact counts per channel, spread the way people come.

Online dossiers arrive on any day at any hour (fewer at night, at weekends and on holidays, a little
more as the period goes on); paper dossiers only on working days in office hours, fewest over lunch.
"""

import random
from datetime import datetime, time, timedelta

from dossiers.constants import IntakeChannel
from figures.history.clock import OfficeClock
from figures.history.story import Fate
from procedures.constants import OnlineLevel

# Relative share of online submissions per hour of the day (office time).
ONLINE_HOURS = (2, 1, 1, 1, 1, 2, 5, 9, 12, 13, 12, 10, 7, 8, 11, 12, 11, 9, 7, 7, 8, 7, 5, 3)
ONLINE_DAY_WEIGHT = {"working": 1.0, "saturday": 0.45, "sunday": 0.35, "holiday": 0.3}
COUNTER_WEEKDAY_WEIGHT = (1.15, 1.0, 1.0, 1.0, 0.95, 0.8, 0.8)  # make-up Saturdays are quieter
LUNCH = (time(11, 30), time(13, 30))
LUNCH_WEIGHT = 0.15
ONLINE_GROWTH = 0.3  # online use grows through the period: the last day weighs this much more than the first
PROCEDURE_SKEW = 0.9  # popularity falls with rank as 1 / rank^skew
LEVEL4_ONLINE_PULL = 1.5
# An online dossier meant to be received is sent at least this much office time before the period ends.
RECEIPT_ROOM_MINUTES = 60
HOURS = tuple(range(24))
HOUR_CUMULATIVE = tuple(sum(ONLINE_HOURS[: n + 1]) for n in HOURS)


class NoWorkingDay(ValueError):
    pass


def _days(start: datetime, end: datetime) -> list:
    first, last = start.date(), (end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _online_weight(clock: OfficeClock, day, progress: float) -> float:
    if clock.is_working_day(day):
        kind = "working"
    elif day.weekday() == 5:
        kind = "saturday"
    elif day.weekday() == 6:
        kind = "sunday"
    else:
        kind = "holiday"
    return ONLINE_DAY_WEIGHT[kind] * (1 + ONLINE_GROWTH * progress)


def _within(moment: datetime, start: datetime, end: datetime) -> bool:
    return start <= moment < end


def online_times(rng: random.Random, clock: OfficeClock, start: datetime, end: datetime, count: int) -> list:
    days = _days(start, end)
    weights = [_online_weight(clock, day, n / max(len(days) - 1, 1)) for n, day in enumerate(days)]
    times = []
    for day in rng.choices(days, weights=weights, k=count):
        while True:
            hour = rng.choices(HOURS, cum_weights=HOUR_CUMULATIVE)[0]
            moment = datetime.combine(day, time(hour), tzinfo=clock.tz) + timedelta(seconds=rng.random() * 3600)
            if _within(moment, start, end):
                break
            day = rng.choices(days, weights=weights)[0]
        times.append(moment)
    return times


def _office_minute(rng: random.Random, clock: OfficeClock) -> float:
    lunch = [(t.hour * 60 + t.minute) - clock.open_minute for t in LUNCH]
    while True:
        minute = rng.random() * clock.day_minutes
        if not lunch[0] <= minute < lunch[1] or rng.random() < LUNCH_WEIGHT:
            return minute


def counter_times(rng: random.Random, clock: OfficeClock, start: datetime, end: datetime, count: int) -> list:
    days = [day for day in _days(start, end) if clock.is_working_day(day) and clock.opening(day) < end]
    if not days and count:
        raise NoWorkingDay
    weights = [COUNTER_WEEKDAY_WEIGHT[day.weekday()] for day in days]
    times = []
    for day in rng.choices(days, weights=weights, k=count):
        while True:
            moment = clock.opening(day) + timedelta(minutes=_office_minute(rng, clock))
            if _within(moment, start, end):
                break
            day = rng.choices(days, weights=weights)[0]
        times.append(moment)
    return times


def procedure_weights(rng: random.Random, procedures: list, *, online: bool) -> list[float]:
    """Zipf-like popularity over a seeded order; online dossiers only for procedures offered online."""
    order = list(range(len(procedures)))
    rng.shuffle(order)
    weights = [0.0] * len(procedures)
    for rank, index in enumerate(order, start=1):
        procedure = procedures[index]
        weight = 1 / rank**PROCEDURE_SKEW
        if online:
            if procedure.online_level < OnlineLevel.LEVEL_3:
                weight = 0.0
            elif procedure.online_level == OnlineLevel.LEVEL_4:
                weight *= LEVEL4_ONLINE_PULL
        weights[index] = weight
    return weights


def arrivals(
    *,
    rng: random.Random,
    clock: OfficeClock,
    procedures: list,
    start: datetime,
    end: datetime,
    online: int,
    offline: int,
    postal_share: float,
    online_extras: dict[str, int],
    unpaid_procedures: set[int],
) -> list[tuple[datetime, str, int, str]]:
    """(submitted_at, channel, procedure index, fate) of every dossier, in submission order.

    Exactly `online` online dossiers are received in [start, end): they are sent early enough for the
    counter to take them in before `end`. `offline` paper dossiers are received as they are registered,
    round(offline × postal_share) of them sent by post. `online_extras` adds online dossiers of the
    other fates (rejected, withdrawn, unpaid), which are never received; unpaid ones only for the
    procedures that ask for an online payment (`unpaid_procedures`, by index).
    """
    last_office = clock.moment(clock.position(end) - RECEIPT_ROOM_MINUTES)
    received_at = online_times(rng, clock, start, max(last_office, start + timedelta(seconds=1)), online)
    offline_at = counter_times(rng, clock, start, end, offline)
    postal = set(rng.sample(range(offline), round(offline * postal_share)))
    indexes = range(len(procedures))
    online_weights = procedure_weights(rng, procedures, online=True)
    offline_weights = procedure_weights(rng, procedures, online=False)
    online_channel, postal_channel, counter_channel = (
        str(c) for c in (IntakeChannel.ONLINE, IntakeChannel.POSTAL, IntakeChannel.COUNTER)
    )
    result = [
        (t, online_channel, p, Fate.RECEIVED)
        for t, p in zip(received_at, _choose(rng, indexes, online_weights, online), strict=True)
    ]
    result += [
        (t, postal_channel if n in postal else counter_channel, p, Fate.RECEIVED)
        for n, (t, p) in enumerate(zip(offline_at, _choose(rng, indexes, offline_weights, offline), strict=True))
    ]
    for fate, count in online_extras.items():
        weights = online_weights
        if fate == Fate.UNPAID:
            weights = [w if n in unpaid_procedures else 0.0 for n, w in enumerate(online_weights)]
        if not count or not any(weights):
            continue
        times = online_times(rng, clock, start, end, count)
        result += [
            (t, online_channel, p, fate) for t, p in zip(times, _choose(rng, indexes, weights, count), strict=True)
        ]
    result.sort(key=lambda arrival: arrival[0])
    return result


def _choose(rng: random.Random, indexes, weights, count: int) -> list[int]:
    return rng.choices(indexes, weights=weights, k=count) if count else []
