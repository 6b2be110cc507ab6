"""Working days of a Japanese municipal office (開庁日).

A working day is a weekday that is neither a national holiday (国民の祝日, 振替休日 and 国民の休日,
from the maintained ``holidays`` package, never a hand-written list) nor one of the year-end and
New Year closing days 12/29–1/3 (年末年始, by the city's ordinance on its office days).

Pure Python on dates: "today" is the caller's (``timezone.localdate()``), so that a query can
compare its rows with a cutoff computed here instead of counting days in SQL.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

__all__ = [
    "add_working_days",
    "is_working_day",
    "subtract_working_days",
    "working_days_between",
    "working_days_cutoff",
]

_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Japan(years=year))


def _is_year_end_closing(day: datetime.date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_working_day(day: datetime.date) -> bool:
    """Whether the city's offices are open on ``day``."""
    return (
        day.weekday() < 5
        and not _is_year_end_closing(day)
        and day not in _public_holidays(day.year)
    )


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    after ``start``): an inquiry received on ``start`` has waited that many working days on
    ``end``, whatever the hour it came in."""
    count = 0
    day = start + _DAY
    while day <= end:
        count += is_working_day(day)
        day += _DAY
    return count


def subtract_working_days(day: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day before ``day``: 3 working days before a Thursday is the
    Monday, and before Thursday 2025-05-08 it is Thursday 2025-05-01 (Golden Week between)."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    while n:
        day -= _DAY
        n -= is_working_day(day)
    return day


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``day``: 3 working days after a Monday is the Thursday,
    and after Wednesday 2025-04-30 it is Wednesday 2025-05-07 (Golden Week between)."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    while n:
        day += _DAY
        n -= is_working_day(day)
    return day


def working_days_cutoff(today: datetime.date, n: int) -> datetime.date:
    """The first date from which no more than ``n`` working days have passed by ``today``:
    what was received before it has waited more than ``n`` working days.

    It is the (n+1)-th working day before tomorrow, which also holds on a day off (on a
    Saturday, what came on Tuesday has waited Wednesday to Friday, three days)."""
    return subtract_working_days(today + _DAY, n + 1)
