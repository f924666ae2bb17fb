"""Reading an XLSX workbook: checked as an archive before anything is unpacked, then read row
by row, whatever size its sheets claim to have.

openpyxl's read-only mode streams a sheet, but it trusts the sheet's stored size (its
`<dimension>`): a file whose size says A1:C2 while data runs to row 6 would lose four rows
without a word. Every sheet's size is therefore reset and the rows read to the end.

A formula cell carries the value its program last computed. A program that does not compute
(many export tools) saves the formula alone; openpyxl then reads an empty cell. So the sheet
is read twice side by side, for values and for formulas, and a formula without a value is
reported as such.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from catalogue.limits import MAX_PACKING_RATIO, MB, Reading, megabytes
from catalogue.problems import Location, Problem
from catalogue.rows import Catalogue
from catalogue.sheets import SHEETS
from catalogue.table_source import Row, Table, UnreadableCell, first_filled, read_table, sheet_of

OLD_EXCEL = b"\xd0\xcf\x11\xe0"
CHUNK = 1024 * 1024
# A formula element, `<f>…</f>` or `<x:f t="shared" …/>`, in a sheet's XML.
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
RECOMPUTE = "open the file in Excel or LibreOffice Calc and save it again, or type the value"


def read_xlsx(path: Path, reading: Reading) -> Catalogue:
    """Every recognised sheet of a workbook."""
    where = Location(file=path.name)
    refused = archive_problem(path, reading.limits.max_unpacked_bytes)
    if refused is not None:
        reading.problems.add(Problem(where=where, reason=refused))
        return Catalogue()
    try:
        return _read_workbook(path, reading)
    except Exception as error:  # openpyxl fails in many ways on a broken file; all mean the same
        reason = f"not a readable XLSX workbook ({type(error).__name__}: {error})"
        reading.problems.add(Problem(where=where, reason=reason))
        return Catalogue()


def archive_problem(path: Path, max_unpacked: int) -> str | None:
    """Why a file cannot be unpacked as a workbook, judged from its table of contents alone.

    Python's zipfile never hands out more than a part's stated size, so the stated sizes are
    what unpacking can cost at most.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        return _not_a_workbook(path)
    if not any(part.filename.endswith("workbook.xml") for part in parts):
        return "is not an Excel workbook (.xlsx): the archive holds no workbook"
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked:
        return (
            f"unpacks to {megabytes(unpacked)}, more than the {megabytes(max_unpacked)} an "
            "import unpacks (setting FAHRPLAN_IMPORT_MAX_UNPACKED_MB)"
        )
    for part in parts:
        if part.file_size > MB and part.file_size > MAX_PACKING_RATIO * part.compress_size:
            return (
                f"its part {part.filename} unpacks to {megabytes(part.file_size)}, more than "
                f"{MAX_PACKING_RATIO} times its packed size; no sheet anyone typed packs so "
                "tightly, so it is not unpacked"
            )
    return None


def _not_a_workbook(path: Path) -> str:
    with path.open("rb") as stream:
        start = stream.read(8)
    if start.startswith(OLD_EXCEL):
        return (
            "is an old Excel file (.xls) or a workbook with a password; save it as an Excel "
            "workbook (.xlsx) without a password"
        )
    if start.startswith(b"PK"):
        return "is a damaged workbook: its archive cannot be opened; save it again in Excel"
    if start.startswith(b"%PDF"):
        return "is a PDF document, not an Excel workbook (.xlsx)"
    return "is not an Excel workbook (.xlsx): its content is not a workbook's"


def _read_workbook(path: Path, reading: Reading) -> Catalogue:
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        tables = [
            _table(path.name, sheet, formulas[sheet.title] if _has_formulas(path, sheet) else None)
            for sheet in values.worksheets
        ]
        recognised = [
            (table, sheet)
            for table in tables
            if (sheet := sheet_of(table, name=table.sheet_name or ""))
        ]
        if not recognised:
            names = ", ".join(f'"{sheet.german}"' for sheet in SHEETS)
            reason = f"no sheet to import; expected sheets named {names}"
            reading.problems.add(Problem(where=Location(file=path.name), reason=reason))
            return Catalogue()
        catalogue = Catalogue()
        for table, sheet in recognised:
            catalogue = catalogue.merge(read_table(table, sheet, reading))
        return catalogue
    finally:
        values.close()
        formulas.close()


def _has_formulas(path: Path, sheet: Any) -> bool:
    """Whether a sheet holds any formula: a quick look at its XML spares the second pass.

    openpyxl keeps the sheet's part name to itself; without it, the sheet is read twice.
    """
    part = getattr(sheet, "_worksheet_path", None)
    if not isinstance(part, str):
        return True
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(CHUNK):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _table(file: str, values: Any, formulas: Any | None) -> Table:
    """A sheet as a table, its rows read only when they are needed."""
    for sheet in (values, formulas):
        if sheet is not None:
            sheet.reset_dimensions()
    first, _ = first_filled(
        (number, list(cells))
        for number, cells in enumerate(values.iter_rows(values_only=True), start=1)
    )

    def body(header_row: int, width: int) -> Iterator[Row]:
        return _rows(values, formulas, start=header_row + 1, width=width)

    return Table(file=file, sheet_name=str(values.title), first=first, body=body)


def _rows(values: Any, formulas: Any | None, *, start: int, width: int) -> Iterator[Row]:
    """The rows from `start` on, cut to `width` cells, formulas without a value marked."""
    if width <= 0:
        return
    written = (
        formulas.iter_rows(min_row=start, max_col=width, values_only=True)
        if formulas is not None
        else itertools.repeat((None,) * width)
    )
    pairs = zip(values.iter_rows(min_row=start, max_col=width), written, strict=False)
    for number, (cells, written) in enumerate(pairs, start=start):
        yield (
            number,
            [
                _cell_value(cell, formula, number, column)
                for column, (cell, formula) in enumerate(zip(cells, written, strict=False), start=1)
            ],
        )


def _cell_value(cell: Any, formula: Any, row: int, column: int) -> Any:
    """A cell's value; a percent-formatted number (0.45 shown as 45 %) becomes its points."""
    value = getattr(cell, "value", None)
    name = f"{get_column_letter(column)}{row}"
    if value is None and formula is not None:
        text = str(getattr(formula, "text", formula))
        return UnreadableCell(name, f"holds the formula {text} without its value; {RECOMPUTE}")
    if getattr(cell, "data_type", None) == "e":
        return UnreadableCell(name, f"holds the error {value}; correct it or type the value")
    number_format = str(getattr(cell, "number_format", "") or "")
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        return Decimal(repr(value)) * 100
    return value
