"""Hostile input: every file a coordinating office might hand over by mistake, or an attacker
on purpose, is refused with its exact message and nothing written, or read without loss.

Each test runs on SQLite and on PostgreSQL, into a town whose catalogue already exists, so
"nothing written" means something. docs/catalogue.md summarises this suite as a table.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from catalogue.export import export_catalogue
from catalogue.importer import import_catalogue
from catalogue.limits import MB, ImportLimits, megabytes
from catalogue.problems import CatalogueError
from models import Measure
from models.db import session_scope
from models.settings import get_settings
from tests.builders import catalogue_files
from tests.catalogue.conftest import Run, row_counts, write

LIMITS = ImportLimits(
    max_file_bytes=20 * MB, max_unpacked_bytes=100 * MB, max_rows=50_000, shown_problems=100
)
MEASURE_HEADERS = "Nr.;Maßnahme;Beschreibung;Abhängig von;Beginn;Ende\n"


@pytest.fixture
def town(settings_env: Path) -> Path:
    """The sample strategy imported: V-01 (depending on V-02) and V-02, Anna and Bernd."""
    import_catalogue([write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)])
    return settings_env


def _refused(paths: list[Path], limits: ImportLimits = LIMITS) -> str:
    """The message an import of these files is refused with; the database stays as it was."""
    before = row_counts()
    with pytest.raises(CatalogueError) as refused:
        import_catalogue(paths, limits=limits)
    assert row_counts() == before
    return str(refused.value)


def _stored() -> dict[str, Measure]:
    with session_scope() as session:
        return {m.code: m for m in session.scalars(select(Measure))}


def _workbook(path: Path, rows: Sequence[Sequence[object]], title: str = "Maßnahmen") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite(path: Path, part: str, change: Callable[[str], str]) -> Path:
    """The workbook with one of its parts rewritten, as other programs write it."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# --- Formulas -------------------------------------------------------------------------------


def test_a_formula_saved_without_its_value_is_named_by_its_cell(town: Path) -> None:
    # What the earlier export wrote for a description typed as "=SUMME(1;2) …".
    path = _workbook(
        town / "Katalog.xlsx",
        [["Nr.", "Maßnahme", "Beschreibung"], ["V-01", "E-Akte", "=SUMME(1;2) ist die Formel"]],
    )
    assert _refused([path]) == (
        'Katalog.xlsx, sheet "Maßnahmen", row 2, column "Beschreibung": cell C2 holds the formula '
        "=SUMME(1;2) ist die Formel without its value; open the file in Excel or LibreOffice "
        "Calc and save it again, or type the value (nothing imported)"
    )


def test_an_error_value_is_not_read_as_text(town: Path) -> None:
    path = _workbook(
        town / "Katalog.xlsx", [["Nr.", "Maßnahme", "Fortschritt"], ["V-01", "E-Akte", "#DIV/0!"]]
    )
    assert _refused([path]) == (
        'Katalog.xlsx, sheet "Maßnahmen", row 2, column "Fortschritt": cell C2 holds the error '
        "#DIV/0!; correct it or type the value (nothing imported)"
    )


def test_a_formula_with_its_computed_value_reads_as_that_value(town: Path) -> None:
    path = _workbook(
        town / "Katalog.xlsx", [["Nr.", "Maßnahme", "Fortschritt"], ["V-01", "E-Akte", "=40+5"]]
    )
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("<v />", "<v>45</v>"))
    import_catalogue([path], limits=LIMITS)
    assert _stored()["V-01"].progress == 45


def test_formula_text_in_a_csv_is_stored_as_typed_and_exported_harmless(town: Path) -> None:
    typed = ['=HYPERLINK("http://evil.example/";"Klick")', "+cmd|' /C calc'!A0", "@SUMME(1)"]
    lines = io.StringIO()
    writer = csv.writer(lines, delimiter=";")
    writer.writerow(["Nr.", "Maßnahme", "Beschreibung"])
    # As typed into a cell, and as our export neutralises it: both mean the same text.
    writer.writerows([f"V-0{n}", text, "'" + text] for n, text in enumerate(typed, start=1))
    import_catalogue([write(town / "Maßnahmen.csv", lines.getvalue())], limits=LIMITS)
    stored = _stored()
    assert [(stored[f"V-0{n}"].title, stored[f"V-0{n}"].description) for n in (1, 2, 3)] == [
        (text, text) for text in typed
    ]
    export_catalogue(town / "export")
    with (town / "export" / "Maßnahmen.csv").open(encoding="utf-8-sig", newline="") as stream:
        written = {row["Nr."]: row for row in csv.DictReader(stream, delimiter=";")}
    for n, text in enumerate(typed, start=1):
        assert written[f"V-0{n}"]["Maßnahme"] == written[f"V-0{n}"]["Beschreibung"] == "'" + text


# --- Sheet sizes and limits -----------------------------------------------------------------


def test_a_stale_sheet_size_loses_no_row(town: Path) -> None:
    rows = [["Nr.", "Maßnahme", "Beschreibung"]] + [
        [f"S-0{n}", f"Maßnahme {n}", "x"] for n in range(1, 6)
    ]
    path = _workbook(town / "Katalog.xlsx", rows)
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda x: x.replace('ref="A1:C6"', 'ref="A1:C2"'))
    assert openpyxl.load_workbook(path, read_only=True)["Maßnahmen"].max_row == 2
    import_catalogue([path], limits=LIMITS)
    assert sorted(code for code in _stored() if code.startswith("S-")) == [
        "S-01", "S-02", "S-03", "S-04", "S-05",
    ]  # fmt: skip


def test_a_file_larger_than_the_limit_is_not_read(town: Path) -> None:
    path = write(town / "Maßnahmen.csv", MEASURE_HEADERS + f"V-01;E-Akte;{'x' * 1_300_000};;;\n")
    assert _refused([path], ImportLimits(MB, 100 * MB, 50_000, 100)) == (
        f"Maßnahmen.csv: is {megabytes(path.stat().st_size)}, more than the 1.0 MB an import "
        "reads (setting FAHRPLAN_IMPORT_MAX_FILE_MB) (nothing imported)"
    )


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_not_unpacked(town: Path) -> None:
    rows = [["Nr.", "Maßnahme", "Beschreibung"]]
    rows += [[f"S-{n:05d}", f"Maßnahme {n}", f"Beschreibung {n} " * 3] for n in range(6000)]
    path = _workbook(town / "Katalog.xlsx", rows)
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert unpacked > MB > path.stat().st_size
    assert _refused([path], ImportLimits(20 * MB, MB, 50_000, 100)) == (
        f"Katalog.xlsx: unpacks to {megabytes(unpacked)}, more than the 1.0 MB an import "
        "unpacks (setting FAHRPLAN_IMPORT_MAX_UNPACKED_MB) (nothing imported)"
    )


def test_a_zip_bomb_is_refused_before_unpacking(town: Path) -> None:
    path = _workbook(town / "Katalog.xlsx", [["Nr.", "Maßnahme"], ["V-01", "E-Akte"]])
    bomb = "A" * 8 * MB
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("E-Akte", bomb))
    assert _refused([path]) == (
        "Katalog.xlsx: its part xl/worksheets/sheet1.xml unpacks to 8.0 MB, more than 100 times "
        "its packed size; no sheet anyone typed packs so tightly, so it is not unpacked "
        "(nothing imported)"
    )


def test_rows_beyond_the_limit_are_not_read(town: Path) -> None:
    sheet = MEASURE_HEADERS + "".join(f"S-{n:02d};Maßnahme {n};;;;\n" for n in range(1, 13))
    path = write(town / "Maßnahmen.csv", sheet)
    assert _refused([path], ImportLimits(20 * MB, 100 * MB, 10, 100)) == (
        "Maßnahmen.csv, row 12: the import holds more than the 10 rows it may read (setting "
        "FAHRPLAN_IMPORT_MAX_ROWS); nothing from this row on was read (nothing imported)"
    )


def test_the_row_limit_counts_every_file_together(town: Path) -> None:
    first = write(town / "a-Maßnahmen.csv", MEASURE_HEADERS + "S-01;Eins;;;;\nS-02;Zwei;;;;\n")
    second = write(town / "b-Maßnahmen.csv", MEASURE_HEADERS + "S-03;Drei;;;;\nS-04;Vier;;;;\n")
    assert _refused([first, second], ImportLimits(20 * MB, 100 * MB, 3, 100)) == (
        "b-Maßnahmen.csv, row 3: the import holds more than the 3 rows it may read (setting "
        "FAHRPLAN_IMPORT_MAX_ROWS); nothing from this row on was read (nothing imported)"
    )


def test_many_problems_show_the_first_and_count_the_rest(town: Path) -> None:
    sheet = MEASURE_HEADERS + "".join(f"S-{n:02d};Maßnahme {n};;;31.02.2026;\n" for n in range(8))
    message = _refused([write(town / "Maßnahmen.csv", sheet)], ImportLimits(MB, MB, 100, 5))
    assert message.splitlines() == [
        "8 problems, nothing imported:",
        *(
            f'Maßnahmen.csv, row {row}, column "Beginn": 31.02.2026 is not a date: '
            "February 2026 has 28 days"
            for row in range(2, 7)
        ),
        "… and 3 more",
    ]


def test_the_limits_are_settings(
    town: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAHRPLAN_IMPORT_MAX_ROWS", "2")
    get_settings.cache_clear()
    sheet = MEASURE_HEADERS + "S-01;Eins;;;;\nS-02;Zwei;;;;\nS-03;Drei;;;;\n"
    before = row_counts()
    run = cli("import", str(write(town / "Maßnahmen.csv", sheet)))
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        "fahrplan: Maßnahmen.csv, row 4: the import holds more than the 2 rows it may read "
        "(setting FAHRPLAN_IMPORT_MAX_ROWS); nothing from this row on was read "
        "(nothing imported)\n"
    )
    assert row_counts() == before


def test_yaml_aliases_are_not_unfolded(town: Path) -> None:
    # Nine lists of nine of the list before: unfolded, the last one holds 9⁹ entries.
    entries = ["  - &a [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    entries += [
        f"  - &{b} [{', '.join(['*' + a] * 9)}]" for a, b in itertools.pairwise("abcdefghi")
    ]
    path = write(town / "lachen.yaml", "\n".join(["measures:", *entries]) + "\n")
    assert _refused([path]).splitlines() == [
        "9 problems, nothing imported:",
        *(f"lachen.yaml, line {n}: expected a mapping of names to values" for n in range(2, 11)),
    ]


# --- Files that are not what they claim -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "Katalog.xlsx",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "Katalog.xlsx: is a PDF document, not an Excel workbook (.xlsx)",
        ),
        (
            "Katalog.xlsx",
            "Nr.;Maßnahme\nV-01;E-Akte\n".encode(),
            "Katalog.xlsx: is not an Excel workbook (.xlsx): its content is not a workbook's",
        ),
        (
            "Katalog.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "Katalog.xlsx: is an old Excel file (.xls) or a workbook with a password; save it as "
            "an Excel workbook (.xlsx) without a password",
        ),
        (
            "Katalog.xlsx",
            b"",
            "Katalog.xlsx: is not an Excel workbook (.xlsx): its content is not a workbook's",
        ),
        (
            "Maßnahmen.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
            'Maßnahmen.csv: is not a text file; save the sheet as "CSV UTF-8"',
        ),
        (
            "Katalog.docx",
            b"PK\x03\x04",
            "Katalog.docx: unknown format; expected .yaml, .xlsx or .csv",
        ),
    ],
)
def test_a_file_that_is_no_catalogue_is_one_clear_message(
    town: Path, name: str, content: bytes, message: str
) -> None:
    path = town / name
    path.write_bytes(content)
    assert _refused([path]) == f"{message} (nothing imported)"


def test_a_workbook_named_csv_and_a_document_named_xlsx(town: Path) -> None:
    book = _workbook(town / "Katalog.xlsx", [["Nr.", "Maßnahme"], ["V-01", "E-Akte"]])
    csv = town / "Maßnahmen.csv"
    csv.write_bytes(book.read_bytes())
    document = town / "Bericht.xlsx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert _refused([csv, document]) == (
        "2 problems, nothing imported:\n"
        "Maßnahmen.csv: is an Excel workbook (or another zip archive), not CSV text; "
        "name it .xlsx\n"
        "Bericht.xlsx: is not an Excel workbook (.xlsx): the archive holds no workbook"
    )


# --- Encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "Maßnahmen.csv",
            "Nr.;Maßnahme\r\nV-01;E-Akte\r\n".encode("utf-16"),
            'Maßnahmen.csv: is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" or '
            '"CSV (Trennzeichen-getrennt)"',
        ),
        (
            "Maßnahmen.csv",
            "Nr.;Maßnahme\r\nV-01;E-Akte\r\n".encode("utf-16-le"),
            'Maßnahmen.csv: is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" or '
            '"CSV (Trennzeichen-getrennt)"',
        ),
        (
            "Maßnahmen.csv",
            b"\xef\xbb\xbfNr.;Ma\xdfnahme\r\nV-01;E-Akte\r\n",
            "Maßnahmen.csv: starts as UTF-8 but is not UTF-8 text from byte 9 on",
        ),
        (
            "Maßnahmen.csv",
            b"Nr.;Ma\x81nahme\x02\r\n",
            'Maßnahmen.csv: is neither UTF-8 nor Windows-1252 text; save it as "CSV UTF-8"',
        ),
        (
            "strategie.yaml",
            "measures:\n  - code: V-01\n    title: Bürgeramt\n".encode("latin-1"),
            "strategie.yaml: is not UTF-8 text",
        ),
    ],
)
def test_a_wrong_encoding_says_how_to_save_the_file(
    town: Path, name: str, content: bytes, message: str
) -> None:
    path = town / name
    path.write_bytes(content)
    assert _refused([path]) == f"{message} (nothing imported)"


def test_windows_1252_reads_as_typed(town: Path) -> None:
    sheet = MEASURE_HEADERS + "V-01;Bürgerbüro für Straßen – „digital“;;;;\n"
    import_catalogue([write(town / "Maßnahmen.csv", sheet, encoding="cp1252")], limits=LIMITS)
    assert _stored()["V-01"].title == "Bürgerbüro für Straßen – „digital“"


# --- Contents ---------------------------------------------------------------------------------


def test_duplicate_codes_in_one_file_and_across_files(town: Path) -> None:
    csv = write(town / "Maßnahmen.csv", MEASURE_HEADERS + "S-01;Eins;;;;\nS-01;Zwei;;;;\n")
    book = _workbook(town / "Katalog.xlsx", [["Nr.", "Maßnahme"], ["S-01", "Drei"]])
    assert _refused([csv, book]) == (
        "2 problems, nothing imported:\n"
        'Maßnahmen.csv, row 3, column "Nr.": duplicate code S-01 (first at row 2)\n'
        'Katalog.xlsx, sheet "Maßnahmen", row 2, column "Nr.": duplicate code S-01 '
        "(first at Maßnahmen.csv, row 2)"
    )


def test_impossible_dates(town: Path) -> None:
    sheet = MEASURE_HEADERS + (
        "S-01;Eins;;;31.02.2026;2026-13-01\n"
        "S-02;Zwei;;;29.02.2025;00.01.2026\n"
        "S-03;Drei;;;01.07.2026;01.01.2026\n"
    )
    assert _refused([write(town / "Maßnahmen.csv", sheet)]) == (
        "5 problems, nothing imported:\n"
        'Maßnahmen.csv, row 2, column "Beginn": 31.02.2026 is not a date: February 2026 has 28 '
        "days\n"
        'Maßnahmen.csv, row 2, column "Ende": 2026-13-01 is not a date: there is no month 13\n'
        'Maßnahmen.csv, row 3, column "Beginn": 29.02.2025 is not a date: February 2025 has 28 '
        "days\n"
        'Maßnahmen.csv, row 3, column "Ende": 00.01.2026 is not a date: January 2026 has 31 days\n'
        'Maßnahmen.csv, row 4, column "Ende": end 2026-01-01 is before start 2026-07-01'
    )


def test_a_dependency_cycle_is_named_as_a_chain(town: Path) -> None:
    sheet = MEASURE_HEADERS + "A-01;Eins;;B-02;;\nB-02;Zwei;;C-03;;\nC-03;Drei;;A-01;;\n"
    assert _refused([write(town / "Maßnahmen.csv", sheet)]) == (
        'Maßnahmen.csv, row 2, column "Abhängig von": dependencies form a cycle: '
        "A-01 → B-02 → C-03 → A-01 (nothing imported)"
    )


def test_a_cycle_through_the_stored_catalogue_is_refused(town: Path) -> None:
    # V-01 depends on V-02 already; V-02 must not come to depend on V-01.
    sheet = MEASURE_HEADERS + "V-02;Scanstelle;;V-01;;\n"
    assert _refused([write(town / "Maßnahmen.csv", sheet)]) == (
        'Maßnahmen.csv, row 2, column "Abhängig von": dependencies form a cycle: '
        "V-02 → V-01 → V-02 (nothing imported)"
    )


def test_an_unknown_dependency_names_the_closest_code(town: Path) -> None:
    sheet = MEASURE_HEADERS + "S-01;Eins;;V-2; ;\nS-02;Zwei;;Q-77;;\n"
    assert _refused([write(town / "Maßnahmen.csv", sheet)]) == (
        "2 problems, nothing imported:\n"
        'Maßnahmen.csv, row 2, column "Abhängig von": unknown measure "V-2", '
        'did you mean "V-02"?\n'
        'Maßnahmen.csv, row 3, column "Abhängig von": unknown measure "Q-77"'
    )


def test_a_cell_too_long_for_any_catalogue(town: Path) -> None:
    sheet = MEASURE_HEADERS + f'S-01;Eins;"{"x" * 200_000}";;;\n'
    assert _refused([write(town / "Maßnahmen.csv", sheet)]) == (
        "Maßnahmen.csv, row 2: a cell holds more than 131,072 characters (nothing imported)"
    )


def test_a_sheet_with_thousands_of_headers_is_not_read(town: Path) -> None:
    headers = ";".join(["Nr.", "Maßnahme", *(f"Spalte {n}" for n in range(1000))])
    path = write(town / "Maßnahmen.csv", f"{headers}\nS-01;Eins\n")
    assert _refused([path]) == (
        "Maßnahmen.csv, row 1: holds more than 1,000 column headers; a catalogue sheet has a few "
        "dozen, so it is not read (nothing imported)"
    )


def test_what_is_refused_leaves_the_stored_values_alone(town: Path) -> None:
    before = {code: (m.title, m.description, m.progress) for code, m in _stored().items()}
    book = _workbook(
        town / "Katalog.xlsx", [["Nr.", "Maßnahme", "Beschreibung"], ["V-01", "Neu", "=1+1"]]
    )
    _refused([book])
    assert {c: (m.title, m.description, m.progress) for c, m in _stored().items()} == before
    assert _stored()["V-01"].budget_planned == Decimal("1234.56")
