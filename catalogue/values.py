"""The value types of catalogue rows: each parses what a cell or YAML value may hold.

Numbers are read in the locale given as validation context (`{"locale": "de"}` or `"en"`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, TypeVar
from urllib.parse import urlsplit

import holidays
from pydantic import BeforeValidator, Field, ValidationInfo

from catalogue import parsing
from catalogue.parsing import is_blank
from models import vocabulary
from models.base import QUANTITY_PLACES
from models.enums import Direction, MaturityModel, MeasureStatus, MilestoneKind, Priority, ValueKind
from templating import formatting
from templating.formatting import Locale

T = TypeVar("T")
WEB_ADDRESS_LENGTH = 2000


def _locale(info: ValidationInfo) -> Locale:
    context = info.context if isinstance(info.context, dict) else {}
    return "en" if context.get("locale") == "en" else "de"


def _optional(parse: Callable[[object], T]) -> Callable[[object], T | None]:
    def parse_unless_blank(value: object) -> T | None:
        return None if is_blank(value) else parse(value)

    return parse_unless_blank


def _word(parse: Callable[[object], T]) -> Callable[[object], T]:
    """A vocabulary parser that reads the cell's text as the catalogue cleans it."""

    def parse_cell(value: object) -> T:
        return parse(formatting.clean_text(value))

    return parse_cell


def _required_text(value: object) -> str:
    text = formatting.clean_text(value)
    if not text:
        raise ValueError("is empty")
    return text


def _prose(value: object) -> str:
    """Free text as typed, line breaks and inner spaces kept; only its ends are trimmed."""
    if not isinstance(value, str):
        return formatting.clean_text(value)
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _required_date(value: object) -> date:
    if is_blank(value):
        raise ValueError("is empty")
    return formatting.parse_date(value)


def _money(value: object, info: ValidationInfo) -> Decimal | None:
    return None if is_blank(value) else formatting.parse_money(value, locale=_locale(info))


def _progress(value: object, info: ValidationInfo) -> int:
    points = formatting.parse_percent(value, locale=_locale(info))
    if not 0 <= points <= 100:
        raise ValueError(f"progress {format(points.normalize(), 'f')} % is outside 0–100")
    return int(points.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _federal_state(value: object) -> str | None:
    if is_blank(value):
        return None
    code = formatting.clean_text(value).upper()
    states = sorted(s for s in holidays.country_holidays("DE").subdivisions if len(s) == 2)
    if code not in states:
        raise ValueError(f'unknown federal state "{code}" (expected one of {", ".join(states)})')
    return code


def _web_address(value: object) -> str | None:
    """An http(s) address such as a council system's OParl URL; blank is None."""
    if is_blank(value):
        return None
    text = formatting.clean_text(value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise ValueError(f'"{text}" is not a web address starting with https:// or http://')
    if len(text) > WEB_ADDRESS_LENGTH:
        raise ValueError(f"is longer than {WEB_ADDRESS_LENGTH} characters")
    return text


def _number(value: object, info: ValidationInfo) -> Decimal:
    if is_blank(value):
        raise ValueError("is empty")
    if isinstance(value, float):
        # A computed cell shows 12,5 but may hold 12.500000000000002.
        value = round(value, QUANTITY_PLACES)
    number = formatting.parse_decimal(value, locale=_locale(info))
    if number != number.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        raise ValueError(f"{formatting.clean_text(value)} has more than six decimal places")
    if abs(number) >= Decimal(10) ** 14:
        raise ValueError(f"{formatting.clean_text(value)} is too large")
    return number


def _optional_number(value: object, info: ValidationInfo) -> Decimal | None:
    return None if is_blank(value) else _number(value, info)


def _level(value: object, info: ValidationInfo) -> int:
    level = formatting.parse_whole_number(value, locale=_locale(info))
    if level < 0:
        raise ValueError(f"maturity level {level} is below 0")
    return level


Text = Annotated[str, BeforeValidator(formatting.clean_text)]
Prose = Annotated[str, BeforeValidator(_prose)]
RequiredText = Annotated[str, BeforeValidator(_required_text)]
OptionalText = Annotated[str | None, BeforeValidator(_optional(formatting.clean_text))]
RequiredDate = Annotated[date, BeforeValidator(_required_date)]
OptionalDate = Annotated[date | None, BeforeValidator(_optional(formatting.parse_date))]
Money = Annotated[Decimal | None, BeforeValidator(_money)]
Progress = Annotated[int, BeforeValidator(_progress)]
Number = Annotated[Decimal, BeforeValidator(_number)]
OptionalNumber = Annotated[Decimal | None, BeforeValidator(_optional_number)]
Level = Annotated[int, BeforeValidator(_level)]
Flag = Annotated[bool, BeforeValidator(vocabulary.parse_flag)]
Email = Annotated[str, BeforeValidator(parsing.parse_email)]
Names = Annotated[list[str], BeforeValidator(parsing.split_list)]
Emails = Annotated[
    list[str], BeforeValidator(lambda v: [parsing.parse_email(x) for x in parsing.split_list(v)])
]
Dates = Annotated[
    list[date], BeforeValidator(lambda v: [formatting.parse_date(x) for x in parsing.split_list(v)])
]
Status = Annotated[MeasureStatus, BeforeValidator(_word(vocabulary.parse_status))]
OptionalPriority = Annotated[
    Priority | None, BeforeValidator(_optional(_word(vocabulary.parse_priority)))
]
Kind = Annotated[MilestoneKind, BeforeValidator(_word(vocabulary.parse_kind))]
Model = Annotated[MaturityModel, BeforeValidator(_word(vocabulary.parse_maturity_model))]
Language = Annotated[str, BeforeValidator(_word(vocabulary.parse_language))]
DirectionWord = Annotated[Direction, BeforeValidator(_word(vocabulary.parse_direction))]
ValueKindWord = Annotated[ValueKind, BeforeValidator(_word(vocabulary.parse_value_kind))]
FederalState = Annotated[str | None, BeforeValidator(_federal_state)]
WebAddress = Annotated[str | None, BeforeValidator(_web_address)]
Slug = Annotated[str | None, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
