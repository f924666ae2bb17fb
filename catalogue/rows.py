"""The rows every source is read into, whatever its format, each knowing where it came from.

A row's `model_fields_set` says which fields its source gave (a column present, a YAML key
written): only those are applied, so a sheet without a column leaves that value alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator

from catalogue.parsing import is_blank
from catalogue.problems import Location, Problem, problems_of
from catalogue.values import (
    Dates,
    DirectionWord,
    Email,
    Emails,
    FederalState,
    Flag,
    Kind,
    Language,
    Level,
    Model,
    Money,
    Names,
    Number,
    OptionalDate,
    OptionalNumber,
    OptionalPriority,
    OptionalText,
    Progress,
    Prose,
    RequiredDate,
    RequiredText,
    Slug,
    Status,
    Text,
    ValueKindWord,
    WebAddress,
)
from models.enums import MaturityModel, MeasureStatus, MilestoneKind, ValueKind
from templating.formatting import Locale

RowT = TypeVar("RowT", bound="SourceRow")


class SourceRow(BaseModel):
    """One row of a sheet or one YAML entry; a blank cell means the field's default."""

    model_config = ConfigDict(extra="forbid")

    _where: Location = PrivateAttr()
    _cells: Mapping[str, Location] = PrivateAttr(default_factory=dict)
    _unreadable: frozenset[str] = PrivateAttr(default=frozenset())

    @model_validator(mode="before")
    @classmethod
    def _blank_means_default(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        defaults = {
            name: field.get_default(call_default_factory=True)
            for name, field in cls.model_fields.items()
            if not field.is_required()
        }
        return {
            key: defaults[key] if key in defaults and is_blank(value) else value
            for key, value in data.items()
        }

    def located(self, where: Location, cells: Mapping[str, Location] | None = None) -> Self:
        """This row, told where it came from."""
        self._where = where
        self._cells = cells or {}
        return self

    @property
    def where(self) -> Location:
        """The row's place in its source."""
        return self._where

    def at(self, field: str) -> Location:
        """The place of one field's cell (or YAML key)."""
        return self._cells.get(field) or self._where.at(field)

    def given(self, field: str) -> bool:
        """Whether the source gave this field at all."""
        return field in self.model_fields_set

    def mark_unreadable(self, fields: set[str]) -> None:
        """Say that these fields' values had problems and were left out."""
        self._unreadable = self._unreadable | fields

    def readable(self, field: str) -> bool:
        """False for a field whose value had a problem: its default is a stand-in, not a fact."""
        return field not in self._unreadable


class MunicipalityRow(SourceRow):
    """The `municipality:` block of a YAML strategy."""

    name: OptionalText = None
    slug: Slug = None
    federal_state: FederalState = None


class PeriodRow(SourceRow):
    """The period a strategy runs for."""

    start: OptionalDate = None
    end: OptionalDate = None


class StrategyRow(SourceRow):
    """The `strategy:` block of a YAML strategy."""

    name: RequiredText
    adopted_on: OptionalDate = None
    period: PeriodRow | None = None


class PillarRow(SourceRow):
    """A vision pillar."""

    name: RequiredText
    description: Prose = ""


class FieldRow(SourceRow):
    """A field of action (*Handlungsfeld*)."""

    name: RequiredText
    description: Prose = ""


class PersonRow(SourceRow):
    """A member of staff, keyed by e-mail."""

    name: RequiredText
    email: Email
    org_unit: Text = ""
    deputy: OptionalText = None
    language: Language = "de"
    coordinator: Flag = False
    apprise_urls: Names = []


class CommitteeRow(SourceRow):
    """The committee that receives the report, keyed by name."""

    name: RequiredText
    recipients: Emails = []
    apprise_urls: Names = []
    meetings: Dates = []
    # The committee's Organization in the council information system (OParl 1.1).
    oparl: WebAddress = None


class MeasureRow(SourceRow):
    """A measure, keyed by code."""

    code: RequiredText
    title: RequiredText
    description: Prose = ""
    field_of_action: OptionalText = None
    pillars: Names = []
    owner: OptionalText = None
    start: OptionalDate = None
    end: OptionalDate = None
    status: Status = MeasureStatus.PLANNED
    progress: Progress = 0
    priority: OptionalPriority = None
    quick_win: Flag = False
    budget: Money = None
    ozg_ids: Names = []
    depends_on: Names = []
    public: Flag = True


class MilestoneRow(SourceRow):
    """A milestone, keyed by its measure's code and its title."""

    code: RequiredText
    title: RequiredText
    due: RequiredDate
    kind: Kind = MilestoneKind.INTERNAL
    done: OptionalDate = None


class OzgRow(SourceRow):
    """An OZG service, keyed by its OZG id; `code` links it to a measure."""

    ozg_id: RequiredText
    leika_key: OptionalText = None
    name: RequiredText
    topic_field: Text = ""
    code: OptionalText = None
    maturity_model: Model = MaturityModel.V1_1
    maturity_current: Level = 0
    maturity_target: Level = 3
    deadline: OptionalDate = None


class IndicatorRow(SourceRow):
    """An indicator, keyed by code; its first target may stand in its own row."""

    code: RequiredText
    name: RequiredText
    unit: Text = ""
    direction: DirectionWord
    baseline: Number
    baseline_date: RequiredDate
    target: OptionalNumber = None
    target_date: OptionalDate = None
    owner: OptionalText = None
    field_of_action: OptionalText = None
    measures: Names = []
    source: Text = ""
    public: Flag = True


class IndicatorValueRow(SourceRow):
    """A measured value (`Ist`) or a further target (`Ziel`) of an indicator, keyed by its code."""

    code: RequiredText
    date: RequiredDate
    value: Number
    kind: ValueKindWord = ValueKind.ACTUAL
    source: Text = ""


class Catalogue(BaseModel):
    """Everything read from the given files, before it is checked against the database."""

    municipality: MunicipalityRow | None = None
    strategy: StrategyRow | None = None
    pillars: list[PillarRow] = []
    fields_of_action: list[FieldRow] = []
    # A YAML that lists its fields, or a fields sheet, makes unknown field names an error.
    defines_fields: bool = False
    people: list[PersonRow] = []
    committees: list[CommitteeRow] = []
    measures: list[MeasureRow] = []
    milestones: list[MilestoneRow] = []
    ozg_services: list[OzgRow] = []
    indicators: list[IndicatorRow] = []
    indicator_values: list[IndicatorValueRow] = []
    # Keys (measure codes, e-mails) of rows that could not be read: their problems are
    # reported already, so references to them must not be reported as unknown as well.
    unreadable_keys: set[str] = set()

    def merge(self, other: Catalogue) -> Catalogue:
        """This catalogue with another file's rows added."""
        lists = {
            name: getattr(self, name) + getattr(other, name)
            for name in (
                "pillars",
                "fields_of_action",
                "people",
                "committees",
                "measures",
                "milestones",
                "ozg_services",
                "indicators",
                "indicator_values",
            )
        }
        return self.model_copy(
            update={
                **lists,
                "municipality": other.municipality or self.municipality,
                "strategy": other.strategy or self.strategy,
                "defines_fields": self.defines_fields or other.defines_fields,
                "unreadable_keys": self.unreadable_keys | other.unreadable_keys,
            }
        )


def read_row(
    model: type[RowT],
    values: Any,
    *,
    locale: Locale,
    where: Location,
    cells: Mapping[str, Location],
    line_of: Callable[[tuple[str | int, ...]], int | None] | None = None,
) -> tuple[RowT | None, list[Problem]]:
    """A row and the problems of its values.

    A row with bad values is still returned without them, so that checks across rows (unknown
    owner, end before start, …) report its other problems too; it is never written, since any
    problem stops the import. None when not even that is possible.
    """
    context = {"locale": locale}
    try:
        return model.model_validate(values, context=context).located(where, cells), []
    except ValidationError as error:
        problems = problems_of(
            error, where=where, cells=cells, known_fields=model.model_fields, line_of=line_of
        )
        failed = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
    if not isinstance(values, dict) or not failed:
        return None, problems
    rest = {key: value for key, value in values.items() if key not in failed}
    try:
        partial = model.model_validate(rest, context=context).located(where, cells)
    except ValidationError:
        return None, problems
    partial.mark_unreadable(failed)
    return partial, problems
