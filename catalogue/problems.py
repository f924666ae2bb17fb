"""Where a value came from, what is wrong with it, and the error that lists every problem."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from models.errors import UserError
from models.vocabulary import did_you_mean


class Location(BaseModel):
    """A file, and in it a sheet and row (spreadsheets) or a line (YAML), and a column or field."""

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    row: int | None = None
    line: int | None = None
    column: str | None = None

    def at(self, column: str, *, line: int | None = None) -> Location:
        """The same place, narrowed to one column (or YAML field, on its own line)."""
        return self.model_copy(update={"column": column, "line": line or self.line})

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f'{"column" if self.row is not None else "field"} "{self.column}"')
        return ", ".join(parts)


class Problem(BaseModel):
    """One thing wrong in the input, with where it is."""

    model_config = ConfigDict(frozen=True)

    where: Location
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class CatalogueError(UserError):
    """The catalogue cannot be imported; every problem found is listed, nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return f"{self.problems[0]} (nothing imported)"
        lines = [f"{len(self.problems)} problems, nothing imported:"]
        return "\n".join(lines + [str(problem) for problem in self.problems])


_PLAIN_REASONS = {
    "missing": "is required",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of names to values",
    "model_type": "expected a mapping of names to values",
    "model_attributes_type": "expected a mapping of names to values",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "date_type": "expected a date such as 2026-12-31",
}


def reason_of(error: ErrorDetails, *, known_fields: Iterable[str] = ()) -> str:
    """A short, plain reason for one pydantic error."""
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if error["type"] == "extra_forbidden":
        field = str(error["loc"][-1])
        return f'unknown field "{field}"{did_you_mean(field, known_fields)}'
    return _PLAIN_REASONS.get(error["type"], error["msg"])


def problems_of(
    error: ValidationError,
    *,
    where: Location,
    cells: Mapping[str, Location],
    known_fields: Iterable[str],
    line_of: Callable[[tuple[str | int, ...]], int | None] | None = None,
) -> list[Problem]:
    """One problem per pydantic error, placed at the cell (or YAML line) it concerns."""
    found = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        field = str(loc[0]) if loc else ""
        place = cells.get(field) or (where.at(field) if field else where)
        line = line_of(loc) if line_of is not None else None
        if line is not None:
            place = place.model_copy(update={"line": line})
        reason = reason_of(detail, known_fields=known_fields)
        found.append(Problem(where=place, reason=reason))
    return found
