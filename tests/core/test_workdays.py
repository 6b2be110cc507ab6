"""The city's working days: weekends, national holidays (from holidays.Japan) and 年末年始."""

from datetime import date, timedelta

import pytest

from core.workdays import (
    add_working_days,
    is_working_day,
    subtract_working_days,
    working_days_between,
    working_days_cutoff,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 5, 2), True),  # Friday between the holidays of Golden Week
        (date(2025, 5, 3), False),  # 憲法記念日 (Saturday)
        (date(2025, 5, 5), False),  # こどもの日
        (date(2025, 5, 6), False),  # 振替休日 for みどりの日 on a Sunday
        (date(2025, 5, 7), True),
        (date(2024, 12, 27), True),  # the last working day of the year
        (date(2024, 12, 30), False),  # a Monday of 年末年始
        (date(2025, 1, 2), False),
        (date(2025, 1, 3), False),
        (date(2025, 1, 6), True),  # 仕事始め
        (date(2025, 1, 13), False),  # 成人の日
        (date(2025, 6, 14), False),  # Saturday
        (date(2025, 6, 15), False),  # Sunday
        (date(2025, 6, 16), True),
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_golden_week_holds_four_days_off_in_a_row():
    # 2025-05-03 (Sat) to 05-06 (振替休日): what came on Friday 2 May has waited one working
    # day on Wednesday 7 May.
    assert working_days_between(date(2025, 5, 2), date(2025, 5, 7)) == 1
    assert subtract_working_days(date(2025, 5, 8), 3) == date(2025, 5, 1)


def test_new_year_closing():
    # Friday 27 December 2024 to Monday 6 January 2025: 年末年始 and a weekend in between.
    assert working_days_between(date(2024, 12, 27), date(2025, 1, 6)) == 1
    assert subtract_working_days(date(2025, 1, 7), 2) == date(2024, 12, 27)


def test_a_weekend():
    assert working_days_between(date(2025, 6, 13), date(2025, 6, 16)) == 1  # Fri → Mon
    assert working_days_between(date(2025, 6, 16), date(2025, 6, 16)) == 0
    assert working_days_between(date(2025, 6, 17), date(2025, 6, 16)) == 0
    assert subtract_working_days(date(2025, 6, 16), 1) == date(2025, 6, 13)
    assert subtract_working_days(date(2025, 6, 16), 0) == date(2025, 6, 16)


def test_the_cutoff_separates_what_waited_more_than_n_working_days():
    # Whatever today is, a working day or not, a date is before the cutoff exactly when more
    # than n working days have passed since it.
    start = date(2024, 12, 1)
    for offset in range(200):
        today = start + timedelta(days=offset)
        for n in (1, 3):
            cutoff = working_days_cutoff(today, n)
            for back in range(1, 20):
                received = today - timedelta(days=back)
                assert (received < cutoff) == (working_days_between(received, today) > n), (
                    today,
                    received,
                    n,
                )


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        subtract_working_days(date(2025, 6, 16), -1)


def test_adding_working_days_skips_weekends_holidays_and_the_year_end():
    assert add_working_days(date(2025, 6, 16), 3) == date(2025, 6, 19)  # Monday → Thursday
    assert add_working_days(date(2025, 6, 19), 3) == date(2025, 6, 24)  # over a weekend
    assert add_working_days(date(2025, 4, 30), 3) == date(2025, 5, 7)  # Golden Week
    assert add_working_days(date(2025, 12, 26), 1) == date(2026, 1, 5)  # 年末年始
    assert add_working_days(date(2025, 6, 16), 0) == date(2025, 6, 16)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 6, 16), -1)


def test_adding_undoes_subtracting_from_a_working_day():
    start = date(2025, 1, 6)
    for offset in range(120):
        day = start + timedelta(days=offset)
        if is_working_day(day):
            for n in (1, 3, 5):
                assert subtract_working_days(add_working_days(day, n), n) == day
