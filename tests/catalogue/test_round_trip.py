"""Whatever a coordinator typed survives export → import → export, in CSV and in XLSX.

Text that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) is written as text:
a string cell with the quote prefix in a workbook, a cell led by `'` in CSV; the import takes
exactly that `'` away again.
"""

from __future__ import annotations

import csv
from datetime import date
from itertools import count
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.export import export_catalogue
from catalogue.importer import import_catalogue
from models.db import session_scope
from models.measure import measure_by_code
from models.municipality import municipality_by_slug
from models.settings import get_settings
from templating.cells import neutralised, unneutralised
from templating.formatting import clean_text
from tests.builders import catalogue

_towns = count(1)
# Text a person can type: no control characters (the files could not hold them), no
# surrogates or unassigned code points; emoji, quotes, `;` and formula characters included.
_typed = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co"))
_LEADS = ["", "=", "+", "-", "@", "'", "'=", "''-", '=HYPERLINK("http://x";"y")', "-5", "@SUM("]
_EXTRAS = st.sampled_from(["😀", "👩‍💻", "🇩🇪", ";", '"', "'", "\t", "=", "ß"])
_pieces = st.lists(st.one_of(st.text(_typed, max_size=12), _EXTRAS), max_size=6).map("".join)
# A title is one line with single spaces, as the import stores it.
_titles = st.builds(lambda lead, rest: clean_text(lead + rest), st.sampled_from(_LEADS), _pieces)
# A description keeps its line breaks and inner spaces; only its ends are trimmed.
_descriptions = st.builds(
    lambda lead, lines: (lead + "\n".join(lines)).strip(),
    st.sampled_from(_LEADS),
    st.lists(_pieces, max_size=4),
)


def _use(monkeypatch: pytest.MonkeyPatch, slug: str) -> None:
    monkeypatch.setenv("FAHRPLAN_MUNICIPALITY", slug)
    get_settings.cache_clear()


def _town_with(slug: str, title: str, description: str, milestone: str) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session, slug=slug)
        owner = catalogue.person(session, town, org_unit=clean_text(description))
        measure = catalogue.measure(
            session, town, code="T-01", title=title, description=description, owner=owner
        )
        catalogue.milestone(session, measure, date(2026, 6, 30), title=milestone)


def _stored(slug: str) -> tuple[str, str, str]:
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug=slug)
        assert town is not None
        measure = measure_by_code(session=session, municipality_id=town.id, code="T-01")
        assert measure is not None
        return measure.title, measure.description, measure.milestones[0].title


def _workbook_cells(path: Path) -> dict[str, list[list[tuple[Any, str, str, bool]]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [
            [(c.value, c.data_type, c.number_format, bool(c.quotePrefix)) for c in row]
            for row in sheet.rows
        ]
        for sheet in book.worksheets
    }


def _round_trip(
    folder: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, texts: tuple[str, str, str]
) -> tuple[Path, Path]:
    """Export town A, import into town B, export B; the two exports' paths."""
    number = next(_towns)
    first, second = f"first-{number}", f"second-{number}"
    _town_with(first, *texts)
    _use(monkeypatch, first)
    export_catalogue(folder / f"{first}{suffix}")
    _use(monkeypatch, second)
    import_catalogue([folder / f"{first}{suffix}"])
    assert _stored(second) == texts
    export_catalogue(folder / f"{second}{suffix}")
    return folder / f"{first}{suffix}", folder / f"{second}{suffix}"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=_titles.filter(bool), description=_descriptions, milestone=_titles.filter(bool))
def test_any_text_survives_a_workbook(
    settings_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    title: str,
    description: str,
    milestone: str,
) -> None:
    first, second = _round_trip(settings_env, monkeypatch, ".xlsx", (title, description, milestone))
    assert _workbook_cells(second) == _workbook_cells(first)
    sheet = openpyxl.load_workbook(first)["Maßnahmen"]
    title_cell, description_cell = sheet["B2"], sheet["C2"]
    assert (title_cell.value, title_cell.data_type) == (title, "s")
    assert title_cell.quotePrefix == title.startswith(("=", "+", "-", "@"))
    assert description_cell.value == (description or None)
    assert description_cell.data_type == ("s" if description else "n")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=_titles.filter(bool), description=_descriptions, milestone=_titles.filter(bool))
def test_any_text_survives_csv_files(
    settings_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    title: str,
    description: str,
    milestone: str,
) -> None:
    first, second = _round_trip(settings_env, monkeypatch, "", (title, description, milestone))
    files = sorted(path.name for path in first.iterdir())
    assert files == sorted(path.name for path in second.iterdir())
    for name in files:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    with (first / "Maßnahmen.csv").open(encoding="utf-8-sig", newline="") as stream:
        row = next(csv.DictReader(stream, delimiter=";"))
    assert row["Maßnahme"] == neutralised(title)
    assert row["Beschreibung"] == neutralised(description)
    assert not row["Maßnahme"].startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=SUMME(1;2) is our budget formula", "'=SUMME(1;2) is our budget formula"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("'=already quoted", "''=already quoted"),
        ("''+twice", "'''+twice"),
        ("'apostrophe", "'apostrophe"),
        ("'", "'"),
        ("E-Akte = digital", "E-Akte = digital"),
        ("", ""),
    ],
)
def test_csv_neutralisation_is_undone_exactly(typed: str, written: str) -> None:
    assert neutralised(typed) == written
    assert unneutralised(written) == typed


@given(st.text())
def test_unneutralising_what_was_neutralised_gives_the_text(text: str) -> None:
    assert unneutralised(neutralised(text)) == text
    assert not neutralised(text).startswith(("=", "+", "-", "@", "\t", "\r"))
