"""Where a value came from, what is wrong with it, and the error that lists every problem."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

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
    """The catalogue cannot be imported; every problem found is counted, nothing was written.

    `problems` are the first in reading order, `more` how many further ones were found.
    """

    def __init__(self, problems: Iterable[Problem], *, more: int = 0) -> None:
        self.problems = list(problems)
        self.more = more
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1 and not self.more:
            return f"{self.problems[0]} (nothing imported)"
        total = len(self.problems) + self.more
        lines = [f"{total:,} problems, nothing imported:"]
        lines += [str(problem) for problem in self.problems]
        if self.more:
            lines.append(f"… and {self.more:,} more")
        return "\n".join(lines)


class ProblemList:
    """Every problem of an import counted, the first `shown` in reading order kept.

    Reading order is files as given, sheets as first met, then row or line. A file with a
    problem in every cell must not fill the memory with messages nobody reads: whenever twice
    `shown` are held, only the first `shown` are kept. Keys never change once given, so the
    first `shown` of what is kept are the first `shown` of everything.
    """

    def __init__(self, *, files: Sequence[str], shown: int) -> None:
        self._files = {name: index for index, name in enumerate(files)}
        self._sheets: dict[tuple[str, str | None], int] = {}
        self._held: list[tuple[tuple[int, int, int], int, Problem]] = []
        self._shown = shown
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, problem: Problem) -> None:
        """One more problem."""
        where = problem.where
        sheet = self._sheets.setdefault((where.file, where.sheet), len(self._sheets))
        file = self._files.get(where.file, len(self._files))
        key = (file, sheet, where.row or where.line or 0)
        self._held.append((key, self._count, problem))
        self._count += 1
        if len(self._held) >= 2 * self._shown:
            self._held = sorted(self._held)[: self._shown]

    def extend(self, problems: Iterable[Problem]) -> None:
        """More problems."""
        for problem in problems:
            self.add(problem)

    def first(self) -> list[Problem]:
        """The problems to show, in reading order."""
        return [problem for _, _, problem in sorted(self._held)[: self._shown]]

    def error(self) -> CatalogueError:
        """The error that refuses the import, showing the first problems and counting the rest."""
        shown = self.first()
        return CatalogueError(shown, more=self._count - len(shown))


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
