"""How dates, money and percentages read and are read, in German (default) and English.

The `parse_*` functions take what a cell, a form field or an option may hold (text, number,
date, bool) and return the typed value or raise `ValueError` with a message naming the value.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

Locale = Literal["de", "en"]

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_CURRENCY = re.compile(r"€|\beur(?:o)?\b", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?[\d.,]*\d[\d.,]*")
_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(value: date | None, language: str = "de") -> str:
    """`31.12.2026` in German, `2026-12-31` in English; empty for no date."""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if language == "de" else value.isoformat()


def format_datetime(value: datetime | None, zone: ZoneInfo, language: str = "de") -> str:
    """An instant in local time: `31.12.2026, 14:05 Uhr` or `2026-12-31 14:05`."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    if language == "de":
        return local.strftime("%d.%m.%Y, %H:%M Uhr")
    return local.strftime("%Y-%m-%d %H:%M")


def _grouped(amount: Decimal, thousands: str, decimal_mark: str) -> str:
    cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{abs(cents):,.2f}"
    text = text.replace(",", "\x00").replace(".", decimal_mark).replace("\x00", thousands)
    return f"-{text}" if cents < 0 else text


def format_money(value: Decimal | int | None, language: str = "de") -> str:
    """`1.234,56 €` in German, `€1,234.56` in English; empty for no amount."""
    if value is None:
        return ""
    amount = Decimal(value)
    if language == "de":
        return f"{_grouped(amount, '.', ',')} €"
    return f"€{_grouped(amount, ',', '.')}"


def format_percent(value: int | float | Decimal | None, language: str = "de") -> str:
    """`45 %` or `45,5 %` in German, `45%` or `45.5%` in English: at most one decimal."""
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = str(number.to_integral_value()) if number == number.to_integral_value() else str(number)
    return f"{text.replace('.', ',')} %" if language == "de" else f"{text}%"


def format_number(value: Decimal | int | None, language: str = "de") -> str:
    """`1.234,5` in German, `1,234.5` in English: grouped, no trailing zeros; empty for none."""
    if value is None:
        return ""
    number = Decimal(value)
    whole = number == number.to_integral_value()
    plain = number.quantize(Decimal(1)) if whole else number.normalize()
    text = f"{abs(plain):,f}"
    if language == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"-{text}" if number < 0 else text


def clean_text(value: object) -> str:
    """The text of a cell, trimmed; numbers lose Excel's `.0`, dates read as German dates."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | dict):
        raise ValueError("expected text, not a list or mapping")
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_date(value.date(), "de")
    if isinstance(value, date):
        return format_date(value, "de")
    return _SPACES.sub(" ", str(value)).strip()


def parse_date(value: object) -> date:
    """A date cell, or text such as `31.12.2026`, `1.2.26` or `2026-12-31`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError(f"{clean_text(value)} is a number, not a date such as 31.12.2026")
    text = clean_text(value)
    if german := _GERMAN_DATE.fullmatch(text):
        day, month, year = (int(part) for part in german.groups())
        year += 2000 if len(german.group(3)) == 2 else 0
    elif iso := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise ValueError(f'"{text}" is not a date such as 31.12.2026 or 2026-12-31')
    return _checked_date(text, year, month, day)


def _checked_date(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"{text} is not a date: there is no month {month}")
    if year < 1:
        raise ValueError(f"{text} is not a date: there is no year {year}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text} is not a date: {_MONTHS[month]} {year} has {days} days")
    return date(year, month, day)


def parse_decimal(value: object, *, locale: Locale = "de") -> Decimal:
    """A number cell, or text such as `1.234,56 €`, `12.500`, `1,234.56` or `1234.56`.

    Where a single separator could be either, `locale` decides: in German `1.234` is
    one thousand two hundred thirty-four, in English `1,234` is.
    """
    if isinstance(value, bool):
        raise ValueError(f"{clean_text(value)} is not a number")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return _finite(Decimal(repr(value)), repr(value))
    text = clean_text(value)
    body = _SPACES.sub("", _CURRENCY.sub("", text)).replace("−", "-")
    if not _NUMBER.fullmatch(body):
        raise ValueError(f'"{text}" is not a number such as 1.234,56')
    sign = "-" if body.startswith("-") else ""
    digits = body.lstrip("+-")
    decimal_mark = _decimal_mark(digits, locale)
    whole, _, fraction = digits.rpartition(decimal_mark) if decimal_mark else (digits, "", "")
    thousands = {".": ",", ",": "."}.get(decimal_mark or "", "." if "." in whole else ",")
    if not _is_grouped(whole, thousands) or (decimal_mark and not fraction.isdigit()):
        raise ValueError(f'"{text}" is not a number such as 1.234,56')
    return Decimal(sign + whole.replace(thousands, "") + ("." + fraction if fraction else ""))


def _finite(number: Decimal, text: str) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"{text} is not a number")
    return number


def _decimal_mark(digits: str, locale: Locale) -> str | None:
    """Which of `.` and `,` separates the fraction, or None for a whole number."""
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        return "." if digits.rfind(".") > digits.rfind(",") else ","
    if not dots and not commas:
        return None
    mark = "." if dots else ","
    if dots + commas > 1:
        return None
    if mark == ("," if locale == "de" else "."):
        return mark
    whole, _, after = digits.partition(mark)
    # `1.234` in a German sheet groups thousands; `1234.56` or `0.234` cannot.
    return None if len(after) == 3 and whole not in ("", "0") else mark


def _is_grouped(whole: str, thousands: str) -> bool:
    groups = whole.split(thousands)
    if len(groups) == 1:
        return whole.isdigit()
    head, *rest = groups
    return head.isdigit() and len(head) <= 3 and all(len(g) == 3 and g.isdigit() for g in rest)


def parse_money(value: object, *, locale: Locale = "de") -> Decimal:
    """An amount in euros with at most two decimal places, not negative."""
    if isinstance(value, float) and abs(value - round(value, 2)) < 1e-6:
        # A computed cell shows 1.234,56 € but may hold 1234.5600000000002.
        value = round(value, 2)
    amount = parse_decimal(value, locale=locale)
    shown = clean_text(value)
    if amount < 0:
        raise ValueError(f"{shown} is negative; an amount must be 0 or more")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{shown} has more than two decimal places; an amount is in euros")
    return amount.quantize(Decimal("0.01"))


def parse_percent(value: object, *, locale: Locale = "de") -> Decimal:
    """Percent points from `45 %`, `45%`, `45,5` or the number 45."""
    text = clean_text(value) if isinstance(value, str) else value
    if isinstance(text, str) and text.endswith("%"):
        text = text.removesuffix("%").strip()
    try:
        return parse_decimal(text, locale=locale)
    except ValueError:
        raise ValueError(f'"{clean_text(value)}" is not a percentage such as 45 %') from None


def parse_whole_number(value: object, *, locale: Locale = "de") -> int:
    """A whole number, from a number cell or text."""
    try:
        number = parse_decimal(value, locale=locale)
    except ValueError:
        raise ValueError(f'"{clean_text(value)}" is not a whole number') from None
    if number != number.to_integral_value():
        raise ValueError(f"{clean_text(value)} is not a whole number")
    return int(number)
