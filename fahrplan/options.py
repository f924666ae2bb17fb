"""The options several commands share, read one way with one wording: `--on` and `--period`."""

from __future__ import annotations

from datetime import date

from models.errors import UserError
from models.status.tables import period_bounds
from templating.formatting import parse_date


def parse_day(text: str | None, option: str = "--on") -> date | None:
    """A day as `2026-12-31` or `31.12.2026`; None when the option was not given."""
    if text is None:
        return None
    try:
        return parse_date(text.strip())
    except ValueError as error:
        raise UserError(f"{option}: {error}") from None


def parse_period(text: str | None) -> str | None:
    """A quarter such as `2026-Q3`; None when the option was not given."""
    if text is None:
        return None
    try:
        period_bounds(text.strip())
    except ValueError as error:
        raise UserError(f"--period: {error}") from None
    return text.strip()
