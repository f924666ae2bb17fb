"""What only a catalogue's cells hold: blanks, key cells, e-mail addresses and lists.

Dates, money and percent are read by `templating.formatting`, the words of the closed
vocabularies by `models.vocabulary`, so the form, the API and the command line read them alike.
"""

from __future__ import annotations

import re

from templating.formatting import clean_text

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_blank(value: object) -> bool:
    """Whether a cell is empty: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def key_text(value: object) -> str:
    """The text of a key cell (code, e-mail), or nothing where it cannot be one."""
    return "" if isinstance(value, list | tuple | set | dict) else clean_text(value)


def parse_email(value: object) -> str:
    """An e-mail address, trimmed."""
    text = clean_text(value)
    if not _EMAIL.fullmatch(text):
        raise ValueError(f'"{text}" is not an e-mail address')
    return text


def split_list(value: object) -> list[str]:
    """Names separated by `;` in a cell, or a YAML list; blanks dropped."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else clean_text(value).split(";")
    return [text for text in (clean_text(item) for item in items) if text]
