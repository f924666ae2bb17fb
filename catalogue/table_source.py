"""Reading XLSX workbooks and CSV files into catalogue rows.

A workbook's sheets are recognised by name (or, failing that, by their headers); a CSV file is
one sheet, recognised by its file name or its headers. Both are read into a `Table` first, so
the header matching and row checking below serve both.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from catalogue.parsing import is_blank, key_text
from catalogue.problems import Location, Problem
from catalogue.rows import Catalogue, SourceRow, read_row
from catalogue.sheets import (
    FIELDS_OF_ACTION,
    SHEETS,
    Column,
    Sheet,
    header_key,
    sheet_named,
    sheet_with_headers,
)
from models.vocabulary import closest
from templating.formatting import Locale, clean_text


@dataclass
class Table:
    """The cells of one sheet or CSV file, with 1-based row numbers as a spreadsheet shows them."""

    file: str
    sheet_name: str | None
    rows: list[tuple[int, list[Any]]]
    # CSV knows its flavour from the delimiter; a workbook's sheet goes by its headers.
    locale: Locale | None = None

    def place(self, row: int | None = None, column: str | None = None) -> Location:
        """A place in this table."""
        return Location(file=self.file, sheet=self.sheet_name, row=row, column=column)


@dataclass
class _Header:
    row: int
    columns: dict[int, tuple[Column, str]]
    problems: list[Problem]


def read_xlsx(path: Path) -> tuple[Catalogue, list[Problem]]:
    """Every recognised sheet of a workbook."""
    try:
        tables = _workbook_tables(path)
    except Exception as error:  # openpyxl fails in many ways on a broken file; all mean the same
        reason = f"not a readable XLSX workbook ({type(error).__name__}: {error})"
        return Catalogue(), [Problem(where=Location(file=path.name), reason=reason)]
    recognised = [
        (table, sheet)
        for table in tables
        if (sheet := _sheet_of(table, name=table.sheet_name or ""))
    ]
    if not recognised:
        names = ", ".join(f'"{sheet.german}"' for sheet in SHEETS)
        reason = f"no sheet to import; expected sheets named {names}"
        return Catalogue(), [Problem(where=Location(file=path.name), reason=reason)]
    catalogue, problems = Catalogue(), list[Problem]()
    for table, sheet in recognised:
        read, found = read_table(table, sheet)
        catalogue, problems = catalogue.merge(read), problems + found
    return catalogue, problems


def _workbook_tables(path: Path) -> list[Table]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [_worksheet_table(path.name, sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _worksheet_table(file: str, worksheet: Any) -> Table:
    rows = [
        (number, [_cell_value(cell) for cell in cells])
        for number, cells in enumerate(worksheet.iter_rows(min_row=1), start=1)
    ]
    return Table(file=file, sheet_name=str(worksheet.title), rows=rows)


def _cell_value(cell: Any) -> Any:
    """A cell's value; a percent-formatted number (0.45 shown as 45 %) becomes its points."""
    value = getattr(cell, "value", None)
    number_format = str(getattr(cell, "number_format", "") or "")
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        return Decimal(repr(value)) * 100
    return value


def _sheet_of(table: Table, *, name: str) -> Sheet | None:
    """The sheet a table is, by its (sheet or file) name or else by its first row's headers."""
    named = sheet_named(name)
    if named is not None:
        return named
    first = next((cells for _, cells in table.rows if not all(map(is_blank, cells))), None)
    return sheet_with_headers([clean_text(cell) for cell in first or []])


def read_csv(path: Path) -> tuple[Catalogue, list[Problem]]:
    """One CSV file as one sheet: German Excel (`;`, BOM or Windows-1252) or plain (`,`)."""
    try:
        text = decode_csv(path.read_bytes())
    except ValueError as error:
        return Catalogue(), [Problem(where=Location(file=path.name), reason=str(error))]
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(number, cells) for number, cells in enumerate(records, start=1)]
    except csv.Error as error:
        reason = f"not a readable CSV file ({error})"
        return Catalogue(), [Problem(where=Location(file=path.name), reason=reason)]
    table = Table(path.name, None, rows, locale="de" if delimiter == ";" else "en")
    sheet = _sheet_of(table, name=path.stem)
    if sheet is None:
        names = ", ".join(f"{sheet.german}.csv" for sheet in SHEETS)
        reason = f"cannot tell which sheet this is; name the file like {names} or use its headers"
        return Catalogue(), [Problem(where=Location(file=path.name), reason=reason)]
    return read_table(table, sheet)


def decode_csv(data: bytes) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM) or Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ValueError(
            'is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" '
            'or "CSV (Trennzeichen-getrennt)"'
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            where = f"byte {error.start + 3}"
            raise ValueError(f"starts as UTF-8 but is not UTF-8 text from {where} on") from None
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(ord(char) < 32 and char not in "\t\r\n" for char in text):
            return text
    raise ValueError('is neither UTF-8 nor Windows-1252 text; save it as "CSV UTF-8"')


def read_table(table: Table, sheet: Sheet) -> tuple[Catalogue, list[Problem]]:
    """The rows of one recognised sheet, and every problem in its headers and cells."""
    header = _header(table, sheet)
    if header is None:
        return Catalogue(), []
    present = {column.field for column, _ in header.columns.values()}
    if any(column.field not in present for column in sheet.required):
        # Without a required column every row would fail the same way; the header says it once.
        return Catalogue(), header.problems
    locale = table.locale or _locale_of_headers(header)
    rows: list[SourceRow] = []
    problems: list[Problem] = list(header.problems)
    unreadable: set[str] = set()
    for number, cells in table.rows:
        if number <= header.row or all(map(is_blank, cells)):
            continue
        row, found, key = _row(table, sheet, header, number, cells, locale)
        problems += found
        if row is not None:
            rows.append(row)
        elif key:
            unreadable.add(key)
    catalogue = Catalogue.model_validate(
        {
            sheet.kind: rows,
            "unreadable_keys": unreadable,
            # An empty fields sheet defines nothing; it must not make every field name unknown.
            "defines_fields": sheet is FIELDS_OF_ACTION and bool(rows),
        }
    )
    return catalogue, problems


def _header(table: Table, sheet: Sheet) -> _Header | None:
    """The first non-empty row, read as the sheet's headers."""
    found = next(((n, cells) for n, cells in table.rows if not all(map(is_blank, cells))), None)
    if found is None:
        return None
    number, cells = found
    columns: dict[int, tuple[Column, str]] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        header = clean_text(cell)
        if not header:
            continue
        column = sheet.column_for(header)
        if column is None:
            problems += _unknown_header(table, sheet, number, header)
        elif any(column is seen for seen, _ in columns.values()):
            reason = f'column "{header}" appears twice'
            problems.append(Problem(where=table.place(number, header), reason=reason))
        else:
            columns[index] = (column, header)
    present = {column.field for column, _ in columns.values()}
    for column in sheet.required:
        if column.field not in present:
            reason = f'missing column "{column.german}" (or "{column.english}")'
            problems.append(Problem(where=table.place(number), reason=reason))
    return _Header(row=number, columns=columns, problems=problems)


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
    number: int,
    cells: list[Any],
    locale: Locale,
) -> tuple[SourceRow | None, list[Problem], str]:
    """One data row read into the sheet's row model, or its problems and its key."""
    values: dict[str, Any] = {}
    places: dict[str, Location] = {}
    for index, (column, header_text) in header.columns.items():
        value = cells[index] if index < len(cells) else None
        values[column.field] = _trimmed(value)
        places[column.field] = table.place(number, header_text)
    where = table.place(number)
    row, problems = read_row(sheet.row, values, locale=locale, where=where, cells=places)
    keyed_by_code = sheet.kind in ("measures", "indicators")
    key = key_text(values.get("code") if keyed_by_code else values.get("email"))
    return row, problems, key


def _trimmed(value: Any) -> Any:
    """Text without its surrounding spaces; everything else as the cell holds it."""
    return value.strip() if isinstance(value, str) else value
