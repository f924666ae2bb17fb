"""The form's fields: their names, what they are prefilled with, and reading what was typed.

Every value travels as the text the owner typed, so an invalid form can be shown again exactly
as it was sent. Reading turns the texts of one measure into a `StatusAnswer` or into messages
keyed by field name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from pydantic import ValidationError

from models.base import QUANTITY_PLACES
from models.enums import Health, MeasureStatus
from models.settings import Language
from models.status.answers import (
    PLAUSIBLE_FROM,
    PLAUSIBLE_UNTIL,
    TEXT_LIMIT,
    UNSTORABLE,
    StatusAnswer,
)
from portal.owner import IndicatorView, MeasureView
from portal.texts import texts
from templating.formatting import format_date, parse_decimal

TEXT_FIELDS = ("health_reason", "achieved", "next_steps", "risks", "decisions_needed")
# Every field of a measure, in the order of the form.
FIELDS = (
    "status",
    "health",
    "health_reason",
    "progress",
    "achieved",
    "next_steps",
    "risks",
    "decisions_needed",
    "forecast_end_on",
    "budget_spent",
)
# ASCII digits only: `\d` would also take other scripts' digits, which int() quietly converts.
GERMAN_DATE = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
GERMAN_THOUSANDS = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
AMOUNT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,2})?$")
PERCENT = re.compile(r"^[0-9]{1,3}$")

T = TypeVar("T")


class FieldError(Exception):
    """What is wrong with one typed value: a key of the wording and the values it names."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.values = values


def field_name(measure_id: int, field: str) -> str:
    """The name and id of a field of one measure, e.g. `m12-progress`."""
    return f"m{measure_id}-{field}"


def indicator_field(indicator_id: int) -> str:
    """The field for an indicator's current value, e.g. `k3-value`."""
    return f"k{indicator_id}-value"


def milestone_field(measure_id: int, milestone_id: int) -> str:
    """The field for the day a milestone was reached."""
    return field_name(measure_id, f"milestone-{milestone_id}")


def _money_text(value: Decimal | None, language: Language) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "de" else text


def prefill(measure: MeasureView, language: Language) -> dict[str, str]:
    """The texts the fields of a measure start with: its last reported state."""
    last = measure.last
    values = {
        "status": last.status.value,
        "health": last.health.value if last.health else "",
        "progress": str(last.progress),
        "forecast_end_on": format_date(last.forecast_end_on, language),
        "budget_spent": _money_text(last.budget_spent, language),
    }
    values.update({field: getattr(last, field) for field in TEXT_FIELDS})
    named = {field_name(measure.id, key): value for key, value in values.items()}
    for milestone in measure.milestones:
        named[milestone_field(measure.id, milestone.id)] = format_date(milestone.done_on, language)
    return named


def value_text(value: Decimal, language: Language) -> str:
    """A value as the owner would type it back: `12,5` or `12.5`, no grouping."""
    whole = value == value.to_integral_value()
    text = f"{value.quantize(Decimal(1)) if whole else value.normalize():f}"
    return text.replace(".", ",") if language == "de" else text


def prefill_indicators(indicators: list[IndicatorView], language: Language) -> dict[str, str]:
    """Empty fields, except where the owner already gave a value in this period: that one."""
    return {
        indicator_field(i.id): value_text(i.last.value, language)
        if i.answered_at is not None and i.last is not None
        else ""
        for i in indicators
    }


def parse_date(raw: str) -> date | None:
    """`31.12.2026` or `2026-12-31`; empty is no date."""
    if not raw:
        return None
    german, iso = GERMAN_DATE.match(raw), ISO_DATE.match(raw)
    if german:
        day, month, year = (int(part) for part in german.groups())
    elif iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise FieldError("error_date")
    try:
        found = date(year, month, day)
    except ValueError:
        raise FieldError("error_date") from None
    if not PLAUSIBLE_FROM <= found <= PLAUSIBLE_UNTIL:
        raise FieldError("error_date_range", first=PLAUSIBLE_FROM.year, last=PLAUSIBLE_UNTIL.year)
    return found


def parse_money(raw: str, language: Language) -> Decimal | None:
    """An amount in euros as written in the owner's language; empty is no amount."""
    text = raw.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if language == "de" and ("," in text or GERMAN_THOUSANDS.match(text)):
        text = text.replace(".", "").replace(",", ".")
    elif language == "en":
        text = text.replace(",", "")
    if not AMOUNT.match(text):
        raise FieldError("error_money")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise FieldError("error_money") from None


def parse_progress(raw: str) -> int:
    """A whole percentage from 0 to 100."""
    text = raw.replace("%", "").strip()
    if not text:
        raise FieldError("error_progress_missing")
    if not PERCENT.match(text) or int(text) > 100:
        raise FieldError("error_progress")
    return int(text)


def normalised_text(raw: str) -> str:
    """Browsers send line breaks as CRLF; count and store them as one character."""
    return raw.replace("\r\n", "\n").strip()


class MeasureReading:
    """Reads the typed texts of one measure, collecting a message per field."""

    def __init__(self, form: Mapping[str, str], measure: MeasureView, language: Language) -> None:
        self.form, self.measure, self.language = form, measure, language
        self.wording = texts(language)
        self.errors: dict[str, str] = {}

    def raw(self, field: str) -> str:
        return self.form.get(field_name(self.measure.id, field), "").strip()

    def problem(self, name: str, key: str, **values: object) -> None:
        self.errors[name] = self.wording[key].format(**values)

    def text(self, field: str) -> str:
        value = normalised_text(self.form.get(field_name(self.measure.id, field), ""))
        name = field_name(self.measure.id, field)
        if len(value) > TEXT_LIMIT:
            self.problem(name, "error_text_long", limit=TEXT_LIMIT, count=len(value))
        elif UNSTORABLE.search(value):
            self.problem(name, "error_text_chars")
        return value

    def status(self) -> MeasureStatus | None:
        try:
            return MeasureStatus(self.raw("status"))
        except ValueError:
            self.problem(field_name(self.measure.id, "status"), "error_status")
            return None

    def health(self) -> Health | None:
        raw = self.raw("health")
        if not raw:
            return None
        try:
            return Health(raw)
        except ValueError:
            self.problem(field_name(self.measure.id, "health"), "error_health")
            return None

    def typed(self, name: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(self.form.get(name, "").strip())
        except FieldError as problem:
            self.problem(name, str(problem.args[0]), **problem.values)
            return None

    def milestones(self) -> dict[int, date]:
        reached = {}
        for milestone in self.measure.milestones:
            day = self.typed(milestone_field(self.measure.id, milestone.id), parse_date)
            if day is not None:
                reached[milestone.id] = day
        return reached

    def answer(self) -> StatusAnswer | None:
        """The answer, or None with `errors` filled in."""
        name = self.measure.id
        values: dict[str, object] = {
            "status": self.status(),
            "health": self.health(),
            "progress": self.typed(field_name(name, "progress"), parse_progress),
            "forecast_end_on": self.typed(field_name(name, "forecast_end_on"), parse_date),
            "budget_spent": self.typed(
                field_name(name, "budget_spent"), lambda raw: parse_money(raw, self.language)
            ),
            "milestones_reached": self.milestones(),
        }
        values.update({field: self.text(field) for field in TEXT_FIELDS})
        if self.errors:
            return None
        try:
            return StatusAnswer.model_validate(values)
        except ValidationError as error:
            # The checks above mirror StatusAnswer's; this only catches a limit added there later.
            for problem in error.errors():
                self.problem(field_name(name, str(problem["loc"][0])), "error_invalid")
            return None


def read_measure(
    form: Mapping[str, str], measure: MeasureView, language: Language
) -> tuple[StatusAnswer | None, dict[str, str]]:
    """The answer typed for one measure, or the message for each field that is wrong."""
    reading = MeasureReading(form, measure, language)
    return reading.answer(), reading.errors


def parse_value(raw: str, language: Language) -> Decimal | None:
    """A measured value as written in the owner's language (`12,5` or `12.5`); empty is none."""
    text = raw.replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        value = parse_decimal(text, locale=language)
    except ValueError:
        raise FieldError("error_number") from None
    if value != value.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)) or abs(value) >= 10**14:
        raise FieldError("error_number")
    return value


def read_indicators(
    form: Mapping[str, str], indicators: list[IndicatorView], language: Language
) -> tuple[dict[int, Decimal], dict[str, str]]:
    """The values typed for these indicators (blank ones left out), or a message per field."""
    wording = texts(language)
    values: dict[int, Decimal] = {}
    errors: dict[str, str] = {}
    for indicator in indicators:
        name = indicator_field(indicator.id)
        try:
            value = parse_value(form.get(name, "").strip(), language)
        except FieldError as problem:
            errors[name] = wording[str(problem.args[0])]
            continue
        if value is not None:
            values[indicator.id] = value
    return values, errors
