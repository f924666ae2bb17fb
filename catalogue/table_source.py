"""Reading a sheet of a workbook or a CSV file into catalogue rows, one row at a time.

A workbook's sheets are recognised by name (or, failing that, by their headers); a CSV file is
one sheet, recognised by its file name or its headers. Both formats hand their rows over as a
`Table` whose rows are read as they are needed, so the header matching and row checking below
serve both, and no file is ever held whole in memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogue.limits import Reading
from catalogue.parsing import is_blank, key_text
from catalogue.problems import Location, Problem
from catalogue.rows import Catalogue, SourceRow, read_row
from catalogue.sheets import (
    FIELDS_OF_ACTION,
    Column,
    Sheet,
    header_key,
    sheet_named,
    sheet_with_headers,
)
from models.vocabulary import closest
from templating.formatting import Locale, clean_text

Row = tuple[int, list[Any]]
# More headers than any catalogue sheet has: looking each up would only cost time.
MAX_HEADERS = 1000
# The rows after the header row, each cut to the first `width` cells.
Body = Callable[[int, int], Iterator[Row]]


@dataclass(frozen=True)
class UnreadableCell:
    """A workbook cell whose value cannot be read, such as a formula saved without its value;
    `reason` completes "cell C5 …"."""

    cell: str
    reason: str


@dataclass
class Table:
    """One sheet or CSV file: its first row that is not blank, and a way to read the rest.

    Row numbers are 1-based, as a spreadsheet shows them.
    """

    file: str
    sheet_name: str | None
    first: Row | None
    body: Body
    # CSV knows its flavour from the delimiter; a workbook's sheet goes by its headers.
    locale: Locale | None = None

    def place(self, row: int | None = None, column: str | None = None) -> Location:
        """A place in this table."""
        return Location(file=self.file, sheet=self.sheet_name, row=row, column=column)


def is_blank_row(cells: list[Any]) -> bool:
    """Whether a row holds nothing (quick for the thousands of empty cells some files hold)."""
    return cells.count(None) == len(cells) or all(map(is_blank, cells))


def first_filled(rows: Iterable[Row]) -> tuple[Row | None, Iterator[Row]]:
    """The first row that is not blank, and the rows after it."""
    rest = iter(rows)
    for number, cells in rest:
        if not is_blank_row(cells):
            return (number, cells), rest
    return None, rest


@dataclass
class _Header:
    row: int
    columns: dict[int, tuple[Column, str]]
    problems: list[Problem]
    # Row field → header as written, shared by every row's places.
    names: dict[str, str] = field(default_factory=dict)

    @property
    def width(self) -> int:
        """How many cells of a row hold recognised columns."""
        return max(self.columns, default=-1) + 1


class _Places(Mapping[str, Location]):
    """The place of each cell of one row, made only when a problem asks for it."""

    def __init__(self, where: Location, names: dict[str, str]) -> None:
        self._where = where
        self._names = names

    def __getitem__(self, field: str) -> Location:
        return self._where.at(self._names[field])

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def sheet_of(table: Table, *, name: str) -> Sheet | None:
    """The sheet a table is, by its (sheet or file) name or else by its first row's headers."""
    named = sheet_named(name)
    if named is not None:
        return named
    cells = table.first[1] if table.first else []
    return sheet_with_headers([clean_text(cell) for cell in cells])


def read_table(table: Table, sheet: Sheet, reading: Reading) -> Catalogue:
    """The rows of one recognised sheet; every problem in its headers and cells is told."""
    header = _header(table, sheet)
    if header is None:
        return Catalogue()
    reading.problems.extend(header.problems)
    present = {column.field for column, _ in header.columns.values()}
    if any(column.field not in present for column in sheet.required):
        # Without a required column every row would fail the same way; the header says it once.
        return Catalogue()
    locale = table.locale or _locale_of_headers(header)
    rows: list[SourceRow] = []
    unreadable: set[str] = set()
    for number, cells in table.body(header.row, header.width):
        if is_blank_row(cells):
            continue
        if not reading.count_row(table.place(number)):
            break
        row, key = _row(table, sheet, header, (number, cells), locale, reading)
        if row is not None:
            rows.append(row)
        elif key:
            unreadable.add(key)
    return Catalogue.model_validate(
        {
            sheet.kind: rows,
            "unreadable_keys": unreadable,
            # An empty fields sheet defines nothing; it must not make every field name unknown.
            "defines_fields": sheet is FIELDS_OF_ACTION and bool(rows),
        }
    )


def _header(table: Table, sheet: Sheet) -> _Header | None:
    """The first non-empty row, read as the sheet's headers."""
    if table.first is None:
        return None
    number, cells = table.first
    header = _Header(row=number, columns={}, problems=[])
    texts = ((i, clean_text(c)) for i, c in enumerate(cells) if not isinstance(c, UnreadableCell))
    filled = list(itertools.islice(((i, text) for i, text in texts if text), MAX_HEADERS + 1))
    if len(filled) > MAX_HEADERS:
        reason = (
            f"holds more than {MAX_HEADERS:,} column headers; a catalogue sheet has a few "
            "dozen, so it is not read"
        )
        header.problems.append(Problem(where=table.place(number), reason=reason))
        return header
    for index, text in filled:
        column = sheet.column_for(text)
        if column is None:
            header.problems += _unknown_header(table, sheet, number, text)
        elif column.field in header.names:
            reason = f'column "{text}" appears twice'
            header.problems.append(Problem(where=table.place(number, text), reason=reason))
        else:
            header.columns[index] = (column, text)
            header.names[column.field] = text
    for column in sheet.required:
        if column.field not in header.names:
            reason = f'missing column "{column.german}" (or "{column.english}")'
            header.problems.append(Problem(where=table.place(number), reason=reason))
    return header


def _unknown_header(table: Table, sheet: Sheet, row: int, header: str) -> list[Problem]:
    """A header close to a known one is a typo to report; anything else is the user's own note."""
    names = [name for column in sheet.columns for name in (column.german, column.english)]
    # Stricter than for values: a sheet may well carry columns of its own, such as "Notizen".
    suggestion = closest(header, names, cutoff=0.8)
    if suggestion is None or header_key(suggestion) == header_key(header):
        return []
    reason = f'unknown column "{header}", did you mean "{suggestion}"?'
    return [Problem(where=table.place(row, header), reason=reason)]


def _locale_of_headers(header: _Header) -> Locale:
    """English when more headers are English-only than German-only (`Status` is both)."""
    german = english = 0
    for column, text in header.columns.values():
        key = header_key(text)
        german += key == header_key(column.german) and key != header_key(column.english)
        english += key == header_key(column.english) and key != header_key(column.german)
    return "en" if english > german else "de"


def _row(
    table: Table,
    sheet: Sheet,
    header: _Header,
    found: Row,
    locale: Locale,
    reading: Reading,
) -> tuple[SourceRow | None, str]:
    """One data row read into the sheet's row model (its problems told), and its key."""
    number, cells = found
    values: dict[str, Any] = {}
    unreadable: dict[str, UnreadableCell] = {}
    for index, (column, _) in header.columns.items():
        value = cells[index] if index < len(cells) else None
        if isinstance(value, UnreadableCell):
            unreadable[column.field] = value
        else:
            values[column.field] = value.strip() if isinstance(value, str) else value
    where = table.place(number)
    places = _Places(where, header.names)
    row, problems = read_row(sheet.row, values, locale=locale, where=where, cells=places)
    # An unreadable cell is said as such, not as a missing value.
    said = {places[name] for name in unreadable}
    reading.problems.extend(problem for problem in problems if problem.where not in said)
    for name, cell in unreadable.items():
        reading.problems.add(Problem(where=places[name], reason=f"cell {cell.cell} {cell.reason}"))
    keyed_by_code = sheet.kind in ("measures", "indicators")
    key = key_text(values.get("code") if keyed_by_code else values.get("email"))
    if row is not None and unreadable:
        row.mark_unreadable(set(unreadable))
    return row, key
