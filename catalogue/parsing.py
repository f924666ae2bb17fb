"""Cell values as German and English spreadsheets hold them: dates, money, percent, yes/no.

Every parser takes what a cell or a YAML value may be (text, number, date, bool) and returns
the typed value or raises `ValueError` with a message that names the value.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

Locale = Literal["de", "en"]

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_CURRENCY = re.compile(r"€|\beur(?:o)?\b", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?[\d.,]*\d[\d.,]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
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


def is_blank(value: object) -> bool:
    """Whether a cell is empty: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


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
        return format_date(value.date())
    if isinstance(value, date):
        return format_date(value)
    return _SPACES.sub(" ", str(value)).strip()


def key_text(value: object) -> str:
    """The text of a key cell (code, e-mail), or nothing where it cannot be one."""
    return "" if isinstance(value, list | tuple | set | dict) else clean_text(value)


def normalise(text: str) -> str:
    """A key for comparing names and labels: case, spaces, `_` and `-` do not matter."""
    return _SPACES.sub(" ", text.replace("_", " ").replace("-", " ")).strip().casefold()


def closest(wrong: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate that `wrong` was most likely meant to be, if any is close."""
    by_key = {normalise(candidate): candidate for candidate in candidates}
    found = difflib.get_close_matches(normalise(wrong), list(by_key), n=1, cutoff=cutoff)
    return by_key[found[0]] if found else None


def did_you_mean(wrong: str, candidates: Iterable[str]) -> str:
    """`, did you mean "X"?` when a candidate is close, else nothing."""
    suggestion = closest(wrong, candidates)
    return f', did you mean "{suggestion}"?' if suggestion else ""


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


def format_date(value: date) -> str:
    """A date as German text: `31.12.2026`."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


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
    if not _grouped(whole, thousands) or (decimal_mark and not fraction.isdigit()):
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


def _grouped(whole: str, thousands: str) -> bool:
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


def format_money(value: Decimal) -> str:
    """An amount as German Excel shows it: `1.234,56 €`."""
    english = f"{value.quantize(Decimal('0.01')):,.2f}"
    return english.translate(str.maketrans(",.", ".,")) + " €"


def parse_percent(value: object, *, locale: Locale = "de") -> Decimal:
    """Percent points from `45 %`, `45%`, `45,5` or the number 45."""
    text = clean_text(value) if isinstance(value, str) else value
    if isinstance(text, str) and text.endswith("%"):
        text = text.removesuffix("%").strip()
    try:
        return parse_decimal(text, locale=locale)
    except ValueError:
        raise ValueError(f'"{clean_text(value)}" is not a percentage such as 45 %') from None


def format_percent(value: int | Decimal) -> str:
    """Percent points as German Excel shows them: `45 %`."""
    return f"{value} %".replace(".", ",")


def parse_whole_number(value: object, *, locale: Locale = "de") -> int:
    """A whole number, from a number cell or text."""
    try:
        number = parse_decimal(value, locale=locale)
    except ValueError:
        raise ValueError(f'"{clean_text(value)}" is not a whole number') from None
    if number != number.to_integral_value():
        raise ValueError(f"{clean_text(value)} is not a whole number")
    return int(number)


_YES = {"ja", "j", "yes", "y", "true", "wahr", "x", "1"}
_NO = {"nein", "n", "no", "false", "falsch", "0", "-"}


def parse_flag(value: object) -> bool:
    """`ja`/`nein`, `yes`/`no`, `x`, 1/0 or a boolean cell."""
    if isinstance(value, bool):
        return value
    key = normalise(clean_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(f'"{clean_text(value)}" is neither ja/yes nor nein/no')


def format_flag(value: bool) -> str:
    """A flag as German text."""
    return "ja" if value else "nein"


def parse_email(value: object) -> str:
    """An e-mail address, trimmed."""
    text = clean_text(value)
    if not _EMAIL.fullmatch(text):
        raise ValueError(f'"{text}" is not an e-mail address')
    return text


def split_list(value: object) -> list[str]:
    """Names separated by `;` in a cell, or a YAML list; blanks dropped."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else clean_text(value).split(";")
    return [text for text in (clean_text(item) for item in items) if text]
