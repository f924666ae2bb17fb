from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.fields import FieldError, parse_date, parse_money, parse_progress


@pytest.mark.parametrize(
    ("raw", "language", "amount"),
    [
        ("1.234,56", "de", Decimal("1234.56")),
        ("1.234", "de", Decimal("1234")),
        ("12,5 €", "de", Decimal("12.5")),
        ("1234.5", "de", Decimal("1234.5")),
        ("1,234.56", "en", Decimal("1234.56")),
        ("€99", "en", Decimal("99")),
        ("", "de", None),
    ],
)
def test_amounts_are_read_as_written_in_the_owners_language(
    raw: str, language: str, amount: Decimal | None
) -> None:
    assert parse_money(raw, language) == amount  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["-5", "1,2,3", "12.345,678", "abc", "1e5", "NaN"])
def test_other_amounts_are_refused(raw: str) -> None:
    with pytest.raises(FieldError):
        parse_money(raw, "de")


def test_dates_read_german_or_iso_and_refuse_the_rest() -> None:
    assert parse_date("3.11.2026") == parse_date("2026-11-03") == date(2026, 11, 3)
    assert parse_date("") is None
    for raw in ("31.02.2026", "11/03/2026", "morgen", "2026-13-01"):
        with pytest.raises(FieldError):
            parse_date(raw)


def test_progress_is_a_whole_percentage() -> None:
    assert parse_progress("45 %") == 45
    assert parse_progress("100") == 100
    for raw in ("", "101", "4.5", "-1", "١٢"):
        with pytest.raises(FieldError):
            parse_progress(raw)
