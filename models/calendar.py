"""Working days: weekends and the public holidays of the configured federal state are off."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@cache
def _public_holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year))


def is_working_day(day: date, *, state: str) -> bool:
    """Monday to Friday and not a public holiday in this federal state."""
    return day.weekday() < 5 and day not in _public_holidays(state, day.year)


def next_working_day(day: date, *, state: str) -> date:
    """This day when it is a working day, else the first working day after it."""
    while not is_working_day(day, state=state):
        day += timedelta(days=1)
    return day


def is_first_working_day_of_month(day: date, *, state: str) -> bool:
    """Whether this day is the month's first working day (the status-request day)."""
    return day == next_working_day(day.replace(day=1), state=state)


def add_working_days(day: date, count: int, *, state: str) -> date:
    """The working day `count` working days after this day (count >= 1)."""
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1), state=state)
    return day


def reminder_days(due_on: date, offsets: list[int], *, state: str) -> list[date]:
    """The days to remind on: offsets up to 0 are calendar days from the due date, positive
    offsets count working days after it; a day off moves to the next working day."""
    days = {
        add_working_days(due_on, offset, state=state)
        if offset > 0
        else next_working_day(due_on + timedelta(days=offset), state=state)
        for offset in offsets
    }
    return sorted(days)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight at the start of this day, as an aware instant."""
    return datetime.combine(day, time(0), tzinfo=zone)


def local_day(at: datetime, zone: ZoneInfo) -> date:
    """The local calendar day of an instant."""
    return at.astimezone(zone).date()
