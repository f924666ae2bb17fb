"""German and English cell values: dates, amounts, percentages, yes/no and labels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.vocabulary import parse_flag
from templating.formatting import (
    format_date,
    format_money,
    format_percent,
    parse_date,
    parse_decimal,
    parse_money,
    parse_percent,
)
from tests.builders import catalogue_files

amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_a_german_or_iso_date_reads_back_as_the_same_day(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day


@given(st.integers(0, 40), st.integers(0, 14), st.integers(1900, 2100))
def test_any_day_month_year_is_a_date_or_a_clear_error(day: int, month: int, year: int) -> None:
    text = f"{day:02d}.{month:02d}.{year}"
    try:
        expected = date(year, month, day)
    except ValueError:
        with pytest.raises(ValueError, match=rf"^{text} is not a date: "):
            parse_date(text)
    else:
        assert parse_date(text) == expected


@given(amounts)
def test_an_amount_as_german_excel_shows_it_reads_back(amount: Decimal) -> None:
    assert parse_decimal(format_money(amount), locale="de") == amount


@given(amounts, st.sampled_from(["de", "en"]))
def test_an_amount_with_two_decimals_reads_the_same_in_either_locale(
    amount: Decimal, locale: str
) -> None:
    assert parse_decimal(str(amount), locale=locale) == amount  # type: ignore[arg-type]
    assert parse_decimal(f"{amount:,.2f}", locale="en") == amount


@given(st.integers(0, 100) | st.decimals(0, 100, places=1))
def test_a_percentage_as_german_excel_shows_it_reads_back(points: int | Decimal) -> None:
    assert parse_percent(format_percent(points)) == points


@given(st.text(st.characters(categories=["L", "P", "Zs"]), min_size=1))
def test_text_without_digits_is_neither_number_nor_date_nor_percentage(text: str) -> None:
    for parse in (parse_decimal, parse_percent, parse_date):
        with pytest.raises(ValueError, match="is not a"):
            parse(text)


@given(st.text("0123456789.,-+€% abc", min_size=1))
def test_number_like_garbage_is_a_number_or_a_value_error_never_a_crash(text: str) -> None:
    try:
        parse_decimal(text)
    except ValueError as error:
        assert "is not a number" in str(error)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31.12.2026", date(2026, 12, 31)),
        ("1.2.26", date(2026, 2, 1)),
        (" 2026-12-31 ", date(2026, 12, 31)),
        ("2026-12-31 00:00:00", date(2026, 12, 31)),
        (catalogue_files.cell_date(2026, 3, 1), date(2026, 3, 1)),
        ("29.02.2028", date(2028, 2, 29)),
    ],
)
def test_dates_as_cells_hold_them(cell: object, expected: date) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31.02.2026", "31.02.2026 is not a date: February 2026 has 28 days"),
        ("12.13.2026", "12.13.2026 is not a date: there is no month 13"),
        ("12/31/2026", '"12/31/2026" is not a date such as 31.12.2026 or 2026-12-31'),
        (46022, "46022 is a number, not a date such as 31.12.2026"),
    ],
)
def test_impossible_dates_say_why(cell: object, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_date(cell)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("cell", "locale", "expected"),
    [
        ("1.234,56 €", "de", "1234.56"),
        ("12.500,00 €", "de", "12500.00"),
        ("EUR 12.500", "de", "12500"),
        ("1.234", "de", "1234"),
        ("1234.56", "de", "1234.56"),
        ("0,5", "de", "0.5"),
        ("1,234", "en", "1234"),
        ("1,234.56", "en", "1234.56"),
        ("1.5", "en", "1.5"),
        ("−1.000,00", "de", "-1000.00"),
        (12500.0, "de", "12500.0"),
        (7, "en", "7"),
    ],
)
def test_numbers_in_german_and_english(cell: object, locale: str, expected: str) -> None:
    assert parse_decimal(cell, locale=locale) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["1.23.456", "12,34,5", "1.234.56,7,8", "--5", "5 Stück"])
def test_malformed_numbers_are_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_decimal(cell)


def test_money_refuses_fractions_of_cents_and_negative_amounts() -> None:
    assert parse_money("1.234,50 €") == Decimal("1234.50")
    assert parse_money(0.1 + 0.2) == Decimal("0.30")
    assert parse_money(1234.5600000000002) == Decimal("1234.56")
    with pytest.raises(ValueError, match="more than two decimal places"):
        parse_money("1,234", locale="de")
    with pytest.raises(ValueError, match="is negative"):
        parse_money("-5")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("45 %", 45), ("45%", 45), ("45,5 %", Decimal("45.5")), (45, 45), ("100", 100)],
)
def test_percentages(cell: object, expected: Decimal) -> None:
    assert parse_percent(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("ja", True), ("Nein", False), ("yes", True), ("NO", False), ("x", True), (True, True)],
)
def test_yes_and_no_in_german_and_english(cell: object, expected: bool) -> None:
    assert parse_flag(cell) is expected
