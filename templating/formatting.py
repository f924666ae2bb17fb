"""How dates, money and percentages read in German (default) and English."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def format_date(value: date | None, language: str = "de") -> str:
    """`31.12.2026` in German, `2026-12-31` in English; empty for no date."""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if language == "de" else value.isoformat()


def format_datetime(value: datetime | None, language: str = "de", zone: ZoneInfo = BERLIN) -> str:
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
    """`45 %` in German, `45%` in English."""
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{number} %" if language == "de" else f"{number}%"
