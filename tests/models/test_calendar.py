from __future__ import annotations

from datetime import date

from models.calendar import add_working_days, is_working_day, next_working_day, reminder_days


def test_weekends_and_the_states_public_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 6, 4), state="NW")  # Corpus Christi in NRW
    assert is_working_day(date(2026, 6, 4), state="SH")  # not in Schleswig-Holstein
    assert not is_working_day(date(2026, 6, 6), state="NW")  # Saturday
    assert next_working_day(date(2026, 6, 4), state="NW") == date(2026, 6, 5)
    assert next_working_day(date(2026, 12, 24), state="NW") == date(2026, 12, 24)
    assert next_working_day(date(2026, 12, 25), state="NW") == date(2026, 12, 28)


def test_working_days_after_skip_holidays_and_weekends() -> None:
    assert add_working_days(date(2026, 6, 3), 1, state="NW") == date(2026, 6, 5)
    assert add_working_days(date(2026, 6, 3), 2, state="NW") == date(2026, 6, 8)
    assert add_working_days(date(2026, 6, 3), 2, state="SH") == date(2026, 6, 5)


def test_reminder_days_before_on_and_after_the_due_date() -> None:
    # 25.05.2026 (due - 7) is Whit Monday; 04.06. is Corpus Christi in NRW.
    assert reminder_days(date(2026, 6, 1), [-7, 0, 3], state="NW") == [
        date(2026, 5, 26),
        date(2026, 6, 1),
        date(2026, 6, 5),
    ]
    assert reminder_days(date(2026, 6, 1), [3, -7, 0], state="SH") == [
        date(2026, 5, 26),
        date(2026, 6, 1),
        date(2026, 6, 4),
    ]


def test_first_working_day_of_the_month_skips_a_holiday_and_the_weekend() -> None:
    from models.calendar import is_first_working_day_of_month

    assert not is_first_working_day_of_month(date(2026, 5, 1), state="NW")  # Labour Day, Friday
    assert is_first_working_day_of_month(date(2026, 5, 4), state="NW")
    assert not is_first_working_day_of_month(date(2026, 5, 5), state="NW")
    assert is_first_working_day_of_month(date(2026, 12, 1), state="NW")
