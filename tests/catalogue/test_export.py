"""Export writes the import's layout; export → import → export gives the same cells and bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from catalogue.export import export_catalogue
from catalogue.importer import import_catalogue
from fahrplan.demo import CATALOGUE
from models.errors import UserError
from models.settings import get_settings
from tests.builders import catalogue_files
from tests.catalogue.conftest import row_counts


def _use_municipality(monkeypatch: pytest.MonkeyPatch, slug: str) -> None:
    monkeypatch.setenv("FAHRPLAN_MUNICIPALITY", slug)
    get_settings.cache_clear()


def _cells(path: Path) -> dict[str, list[list[tuple[Any, str]]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [[(cell.value, cell.number_format) for cell in row] for row in sheet.rows]
        for sheet in book.worksheets
    }


def test_a_workbook_reads_back_cell_for_cell(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_catalogue([CATALOGUE])
    first, second = settings_env / "first.xlsx", settings_env / "second.xlsx"
    export_catalogue(first)
    # Read back into the same town, nothing differs from what the YAML made.
    assert import_catalogue([first]).log.changes == []

    _use_municipality(monkeypatch, "copy")
    import_catalogue([first])
    export_catalogue(second)
    assert _cells(second) == _cells(first)

    sheets = _cells(first)
    assert list(sheets) == [
        "Maßnahmen",
        "Meilensteine",
        "Personen",
        "OZG-Leistungen",
        "Säulen",
        "Handlungsfelder",
        "Ausschüsse",
        "Indikatoren",
        "Indikatorwerte",
    ]
    header, e_akte = sheets["Maßnahmen"][0], sheets["Maßnahmen"][1]
    assert [value for value, _ in header][:9] == [
        "Nr.",
        "Maßnahme",
        "Beschreibung",
        "Handlungsfeld",
        "Säule",
        "Verantwortlich",
        "Beginn",
        "Ende",
        "Status",
    ]
    row = dict(zip([value for value, _ in header], e_akte, strict=True))
    assert row["Nr."][0] == "B-01"
    assert row["Beginn"] == (catalogue_files.cell_date(2024, 8, 1), "DD.MM.YYYY")
    assert row["Fortschritt"] == (1, "0%")
    assert row["Budget"] == (650000, '#,##0.00 "€"')
    assert row["Status"][0] == "abgeschlossen"
    assert row["Säule"][0] == "Meer-Mensch; Meer-Infrastruktur"


def test_csv_files_read_back_byte_for_byte(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_catalogue([CATALOGUE])
    export_catalogue(settings_env / "first")
    first = {path.name: path.read_bytes() for path in (settings_env / "first").iterdir()}
    assert import_catalogue([settings_env / "first"]).log.changes == []

    _use_municipality(monkeypatch, "copy")
    import_catalogue([settings_env / "first"])
    export_catalogue(settings_env / "second.csv")
    second = {
        path.name.removeprefix("second-"): path.read_bytes()
        for path in settings_env.glob("second-*.csv")
    }
    assert second == first

    measures = first["Maßnahmen.csv"].decode("utf-8")
    assert measures.startswith("\ufeffNr.;Maßnahme;Beschreibung;Handlungsfeld;")
    assert "V-01;E-Akte einführen;" in measures
    assert ";01.01.2025;30.06.2027;in Umsetzung;45 %;hoch;nein;480.000,00 €;" in measures
    assert measures.endswith("\r\n")


def test_an_empty_catalogue_exports_the_headers(settings_env: Path) -> None:
    before = row_counts()
    message = export_catalogue(settings_env / "leer.xlsx")
    assert message.startswith("wrote 0 Maßnahmen, 0 Meilensteine, 0 Personen")
    sheets = _cells(settings_env / "leer.xlsx")
    assert [len(rows) for rows in sheets.values()] == [1, 1, 1, 1, 1, 1]
    assert row_counts() == before


def test_an_unknown_file_type_is_refused(settings_env: Path) -> None:
    with pytest.raises(UserError, match=r"^katalog.json: export writes an .xlsx workbook"):
        export_catalogue(settings_env / "katalog.json")
