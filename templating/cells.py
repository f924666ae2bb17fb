"""Text in spreadsheet cells stays text: what a user typed is never run as a formula.

A spreadsheet program reads a CSV cell that begins with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula, and a formula can fetch URLs or start programs (CSV injection).
Every CSV we write neutralises such a cell as OWASP recommends, with a leading `'`, and
every CSV we read takes exactly that `'` away again. Text that already begins with `'`s
before one of those characters gets one more, so reading gives back exactly what was written:
`=1` ↔ `'=1`, `'=1` ↔ `''=1`, and `'Hallo` stays `'Hallo` both ways.

In a workbook the cell's type says what it holds: text is written as a string cell, never a
formula, and where Excel would read a formula once someone edits the cell, it carries the
quote prefix (the `'` Excel shows in the formula bar but not in the cell).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What Excel itself turns into a formula when a cell is edited and confirmed.
EDITED_FORMULA_STARTS = ("=", "+", "-", "@")
QUOTE = "'"


def neutralised(text: str) -> str:
    """A CSV cell that no spreadsheet program runs: `=SUM(A1)` becomes `'=SUM(A1)`."""
    return QUOTE + text if text.lstrip(QUOTE).startswith(FORMULA_STARTS) else text


def unneutralised(text: str) -> str:
    """What `neutralised` was given: `'=SUM(A1)` becomes `=SUM(A1)`; other text stays."""
    if text.startswith(QUOTE) and text.lstrip(QUOTE).startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_cell(value: object) -> object:
    """A value for a CSV writer: text neutralised, anything else as it is."""
    return neutralised(value) if isinstance(value, str) else value


def as_text_cell(cell: Any) -> None:
    """Make an openpyxl cell holding a str a string cell, quote-prefixed where Excel would
    read a formula; openpyxl on its own makes every str beginning with `=` a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(EDITED_FORMULA_STARTS):
            cell.quotePrefix = True
