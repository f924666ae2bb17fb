"""Reading a CSV file as one sheet: German Excel (`;`, BOM or Windows-1252) or plain (`,`).

The file is read twice as a stream: once to learn its encoding, once for its rows; neither
holds more than a chunk of it. Cells that our exports neutralised against formulas (a leading
`'` before `=`, `+`, `-`, `@`, tab or carriage return) are given back exactly as typed.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from catalogue.limits import Reading
from catalogue.problems import Location, Problem
from catalogue.rows import Catalogue
from catalogue.sheets import SHEETS
from catalogue.table_source import Row, Table, first_filled, read_table, sheet_of
from templating.cells import unneutralised

CHUNK = 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
# Characters no typed CSV holds: a file with them is binary or in another encoding.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
UTF16 = (
    'is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" or "CSV (Trennzeichen-getrennt)"'
)


def read_csv(path: Path, reading: Reading) -> Catalogue:
    """One CSV file as one sheet."""
    where = Location(file=path.name)
    try:
        encoding = csv_encoding(path)
    except ValueError as error:
        reading.problems.add(Problem(where=where, reason=str(error)))
        return Catalogue()
    with path.open(encoding=encoding, newline="") as stream:
        first_line = stream.readline()
        delimiter = max(";,\t", key=first_line.count)
        records = csv.reader(itertools.chain([first_line], stream), delimiter=delimiter)
        first, rest = first_filled(_rows(records, where, reading))
        table = Table(
            file=path.name,
            sheet_name=None,
            first=first,
            body=lambda _header_row, _width: rest,
            locale="de" if delimiter == ";" else "en",
        )
        sheet = sheet_of(table, name=path.stem)
        if sheet is None:
            names = ", ".join(f"{sheet.german}.csv" for sheet in SHEETS)
            reason = (
                f"cannot tell which sheet this is; name the file like {names} or use its headers"
            )
            reading.problems.add(Problem(where=where, reason=reason))
            return Catalogue()
        return read_table(table, sheet, reading)


def _rows(records: Iterable[list[str]], where: Location, reading: Reading) -> Iterator[Row]:
    number = 0
    try:
        for number, cells in enumerate(records, start=1):
            yield number, [unneutralised(cell) for cell in cells]
    except csv.Error as error:
        reason = f"not readable as CSV ({error})"
        if "field larger than field limit" in str(error):
            reason = f"a cell holds more than {csv.field_size_limit():,} characters"
        place = where.model_copy(update={"row": number + 1})
        reading.problems.add(Problem(where=place, reason=reason))


def csv_encoding(path: Path) -> str:
    """How a CSV file is encoded: UTF-8 (with or without BOM) or Windows-1252.

    Raises ValueError saying what the file is instead.
    """
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith(b"PK\x03\x04"):
        raise ValueError(
            "is an Excel workbook (or another zip archive), not CSV text; name it .xlsx"
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(head):
        raise ValueError(UTF16)
    if b"\x00" in head:
        raise ValueError('is not a text file; save the sheet as "CSV UTF-8"')
    if head.startswith(UTF8_BOM):
        bad = _first_unfit_byte(path, "utf-8", skip=len(UTF8_BOM))
        if bad is not None:
            raise ValueError(f"starts as UTF-8 but is not UTF-8 text from byte {bad} on")
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        if _first_unfit_byte(path, encoding) is None:
            return encoding
    raise ValueError('is neither UTF-8 nor Windows-1252 text; save it as "CSV UTF-8"')


def _utf16_without_bom(head: bytes) -> bool:
    """Latin text in UTF-16 has a zero byte beside every letter."""
    halves = (head[0::2], head[1::2])
    return len(head) >= 4 and any(half.count(0) >= len(half) * 0.9 for half in halves)


def _first_unfit_byte(path: Path, encoding: str, *, skip: int = 0) -> int | None:
    """Where the file stops being text in this encoding (a wrong byte or a control
    character), or None when it is text throughout."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = skip
    with path.open("rb") as stream:
        stream.seek(skip)
        while chunk := stream.read(CHUNK):
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset - pending + error.start
            if control := _CONTROL.search(text):
                return offset - pending + len(text[: control.start()].encode(encoding))
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset
    return None
