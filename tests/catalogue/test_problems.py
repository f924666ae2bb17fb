"""Bad input is refused whole: every problem with its place, and the database left as it was."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from catalogue.importer import import_catalogue
from catalogue.problems import CatalogueError
from tests.builders import catalogue_files
from tests.catalogue.conftest import row_counts, write

MEASURES_WITH_EVERY_MISTAKE = (
    "Nr.;Maßnahme;Handlungsfeld;Säule;Verantwortlich;Beginn;Ende;Status;Fortschritt;"
    "Priorität;Quick Win;Budget;Abhängig von\n"
    "V-01;E-Akte;Digitale Verwaltng;Meer-Datn;anna.schmit@example.org;01.03.2026;31.01.2026;"
    "fertig;120 %;dringend;vielleicht;12,5x;V-9\n"
    "V-01;Doppelt;Bildung;;;31.02.2026;;geplant;0 %;;;;\n"
    "V-03;Eigene Abhängigkeit;;;Anna Schmidt;;;;;;;;V-03\n"
)
MILESTONES_WITH_MISTAKES = """\
Nr.;Meilenstein;Fällig am;Art;Erledigt am
X-99;Start;01.01.2026;intern;
V-03;Start;32.01.2026;extern;
V-03;Ende;01.06.2026;intern;
V-03;Ende;01.07.2026;intern;
"""
PEOPLE_WITH_MISTAKES = """\
Name;E-Mail;Vertretung;Sprache
Carla Neu;carla.neu@example.org;Dora Unbekannt;fr
Carla Neu;CARLA.NEU@example.org;carla.neu@example.org;de
Emil Ohne;keine-adresse;;de
"""


def _problems(paths: list[Path]) -> list[str]:
    with pytest.raises(CatalogueError) as refused:
        import_catalogue(paths)
    return [str(problem) for problem in refused.value.problems]


def test_every_problem_is_listed_with_file_row_and_column(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)])
    before = row_counts()
    files = [
        write(settings_env / "measures.csv", MEASURES_WITH_EVERY_MISTAKE),
        write(settings_env / "Meilensteine.csv", MILESTONES_WITH_MISTAKES),
        write(settings_env / "Personen.csv", PEOPLE_WITH_MISTAKES),
    ]
    assert _problems(files) == [
        'measures.csv, row 2, column "Status": unknown status "fertig" (expected one of '
        "geplant, in Umsetzung, abgeschlossen, zurückgestellt, abgebrochen)",
        'measures.csv, row 2, column "Fortschritt": progress 120 % is outside 0–100',
        'measures.csv, row 2, column "Priorität": unknown priority "dringend" '
        "(expected one of hoch, mittel, niedrig)",
        'measures.csv, row 2, column "Quick Win": "vielleicht" is neither ja/yes nor nein/no',
        'measures.csv, row 2, column "Budget": "12,5x" is not a number such as 1.234,56',
        'measures.csv, row 2, column "Ende": end 2026-01-31 is before start 2026-03-01',
        'measures.csv, row 2, column "Verantwortlich": unknown owner "anna.schmit@example.org", '
        'did you mean "anna.schmidt@example.org"?',
        'measures.csv, row 2, column "Handlungsfeld": unknown field of action '
        '"Digitale Verwaltng", did you mean "Digitale Verwaltung"?',
        'measures.csv, row 2, column "Säule": unknown pillar "Meer-Datn", '
        'did you mean "Meer-Daten"?',
        'measures.csv, row 2, column "Abhängig von": unknown measure "V-9"',
        'measures.csv, row 3, column "Beginn": 31.02.2026 is not a date: February 2026 has 28 days',
        'measures.csv, row 3, column "Nr.": duplicate code V-01 (first at row 2)',
        'measures.csv, row 4, column "Abhängig von": a measure cannot depend on itself',
        'Meilensteine.csv, row 2, column "Nr.": unknown measure "X-99"',
        'Meilensteine.csv, row 3, column "Fällig am": 32.01.2026 is not a date: '
        "January 2026 has 31 days",
        'Meilensteine.csv, row 3, column "Art": unknown milestone kind "extern", did you mean '
        '"intern"? (expected one of intern, gesetzlich, OZG, Förderung)',
        'Meilensteine.csv, row 5, column "Meilenstein": duplicate milestone "Ende" of V-03 '
        "(first at row 4)",
        'Personen.csv, row 2, column "Sprache": unknown language "fr" (expected de or en)',
        'Personen.csv, row 2, column "Vertretung": unknown deputy "Dora Unbekannt"',
        'Personen.csv, row 3, column "E-Mail": duplicate e-mail CARLA.NEU@example.org '
        "(first at row 2)",
        'Personen.csv, row 3, column "Vertretung": a person cannot be their own deputy',
        'Personen.csv, row 4, column "E-Mail": "keine-adresse" is not an e-mail address',
    ]
    assert row_counts() == before


def test_where_the_strategy_does_not_define_fields_new_names_are_no_problem(
    settings_env: Path,
) -> None:
    sheet = "Nr.;Maßnahme;Handlungsfeld;Säule\nV-01;E-Akte;Digitale Verwaltng;Meer-Datn\n"
    result = import_catalogue([write(settings_env / "Maßnahmen.csv", sheet)])
    assert {str(c) for c in result.log.changes} >= {
        "create field of action Digitale Verwaltng",
        "create pillar Meer-Datn",
    }


def test_an_empty_database_is_left_empty(settings_env: Path) -> None:
    before = row_counts()
    sheet = "Nr.;Maßnahme;Verantwortlich\nV-01;E-Akte;niemand@example.org\n"
    assert _problems([write(settings_env / "Maßnahmen.csv", sheet)]) == [
        'Maßnahmen.csv, row 2, column "Verantwortlich": unknown owner "niemand@example.org"'
    ]
    # Not even the municipality the import would have created is left behind.
    assert row_counts() == before


def test_ozg_services_with_impossible_maturity_duplicates_and_contradicting_links(
    settings_env: Path,
) -> None:
    measures = "Nr.;Maßnahme;OZG-ID\nV-01;E-Akte;\nV-02;Bürgerbüro;10218\n"
    services = (
        "OZG-ID;Leistung;Nr.;Reifegradmodell;Reifegrad aktuell;Reifegrad Ziel\n"
        "10218;Wohnsitz;V-01;v1.1;2;5\n"
        "10100;Hund;;2.0;8;7\n"
        "10100;Hund;;v3;1;7\n"
    )
    files = [
        write(settings_env / "Maßnahmen.csv", measures),
        write(settings_env / "OZG-Leistungen.csv", services),
    ]
    assert _problems(files) == [
        'OZG-Leistungen.csv, row 2, column "Reifegrad Ziel": maturity level 5 does not exist '
        "in model v1.1 (0–4)",
        'OZG-Leistungen.csv, row 2, column "Nr.": OZG service 10218 belongs to V-01 here, but '
        "measure V-02 lists it",
        'OZG-Leistungen.csv, row 3, column "Reifegrad aktuell": maturity level 8 does not exist '
        "in model v2.0 (0–7)",
        'OZG-Leistungen.csv, row 4, column "Reifegradmodell": unknown maturity model "v3" '
        "(expected one of v1.1, v2.0)",
        'OZG-Leistungen.csv, row 4, column "OZG-ID": duplicate OZG id 10100 (first at row 3)',
    ]


def test_a_name_shared_by_two_people_must_be_an_e_mail(settings_env: Path) -> None:
    people = "Name;E-Mail\nAnna Schmidt;a.schmidt@example.org\nAnna Schmidt;as@example.org\n"
    measures = "Nr.;Maßnahme;Verantwortlich\nV-01;E-Akte;anna schmidt\n"
    files = [write(settings_env / "p.csv", people), write(settings_env / "m.csv", measures)]
    assert _problems(files) == [
        'm.csv, row 2, column "Verantwortlich": owner "anna schmidt" is the name of 2 people; '
        "give the e-mail"
    ]


def test_missing_misspelt_and_doubled_columns(settings_env: Path) -> None:
    sheet = "Nr.;Verantwortlicher;Status;status;Notizen\nV-01;anna@example.org;geplant;;x\n"
    assert _problems([write(settings_env / "Maßnahmen.csv", sheet)]) == [
        'Maßnahmen.csv, row 1, column "Verantwortlicher": unknown column "Verantwortlicher", '
        'did you mean "Verantwortlich"?',
        'Maßnahmen.csv, row 1, column "status": column "status" appears twice',
        'Maßnahmen.csv, row 1: missing column "Maßnahme" (or "title")',
    ]
    # With every required column there, the rows are checked as well.
    sheet = "Nr.;Maßnahme;Verantwortlicher;Ende\nV-01;E-Akte;anna@example.org;30.02.2026\n"
    assert _problems([write(settings_env / "Maßnahmen.csv", sheet)]) == [
        'Maßnahmen.csv, row 1, column "Verantwortlicher": unknown column "Verantwortlicher", '
        'did you mean "Verantwortlich"?',
        'Maßnahmen.csv, row 2, column "Ende": 30.02.2026 is not a date: February 2026 has 28 days',
    ]


def test_yaml_with_wrong_types_says_where(settings_env: Path) -> None:
    strategy = """\
municipality: {name: Stadt Beispielhausen, federal_state: XY}
strategy: [Digitalstrategie]
people: Anna Schmidt
measures:
  - code: V-01
    titel: E-Akte
    progress: viel
  - V-02
  - code: V-03
    title: [E, Akte]
    milestones: {title: Start}
massnahmen: []
"""
    assert _problems([write(settings_env / "strategie.yaml", strategy)]) == [
        'strategie.yaml, line 1, field "federal_state": unknown federal state "XY" (expected '
        "one of BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH)",
        'strategie.yaml, line 2, field "strategy": expected a mapping of names to values',
        'strategie.yaml, line 3, field "people": expected a list',
        'strategie.yaml, line 5, field "title": is required',
        'strategie.yaml, line 6, field "titel": unknown field "titel", did you mean "title"?',
        'strategie.yaml, line 7, field "progress": "viel" is not a percentage such as 45 %',
        "strategie.yaml, line 8: expected a mapping of names to values",
        'strategie.yaml, line 10, field "title": expected text, not a list or mapping',
        'strategie.yaml, line 11, field "milestones": expected a list',
        'strategie.yaml, line 12, field "massnahmen": unknown section "massnahmen"',
    ]


def test_a_workbook_problem_names_the_sheet(settings_env: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Maßnahmen"
    sheet.append(["Nr.", "Maßnahme", "Beginn", "Fortschritt"])
    sheet.append(["V-01", "E-Akte", "31.02.2026", 1.2])
    sheet["D2"].number_format = "0%"
    book.save(settings_env / "Katalog.xlsx")
    assert _problems([settings_env / "Katalog.xlsx"]) == [
        'Katalog.xlsx, sheet "Maßnahmen", row 2, column "Beginn": 31.02.2026 is not a date: '
        "February 2026 has 28 days",
        'Katalog.xlsx, sheet "Maßnahmen", row 2, column "Fortschritt": progress 120 % is '
        "outside 0–100",
    ]


def test_only_one_file_may_define_the_strategy(settings_env: Path) -> None:
    first = write(settings_env / "eins.yaml", "strategy: {name: Digitalstrategie}\n")
    second = write(settings_env / "zwei.yaml", "\nstrategy: {name: Digitalstrategie 2}\n")
    assert _problems([first, second]) == [
        'zwei.yaml, line 2, field "strategy": a second strategy block; only one file may '
        "define the strategy"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "strategie.yaml",
            b"measures:\n  - code: V-01\n    title: [unclosed\n",
            "strategie.yaml, line 4: is not valid YAML: ",
        ),
        (
            "Katalog.xlsx",
            b"PK\x03\x04 this is not really a workbook",
            "Katalog.xlsx: is a damaged workbook: its archive cannot be opened; "
            "save it again in Excel",
        ),
        (
            "Maßnahmen.csv",
            "Nr.;Maßnahme\r\nV-01;E-Akte\r\n".encode("utf-16"),
            'Maßnahmen.csv: is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" '
            'or "CSV (Trennzeichen-getrennt)"',
        ),
        (
            "Maßnahmen.csv",
            b"Nr.;Ma\x81nahme\x02\r\n",
            'Maßnahmen.csv: is neither UTF-8 nor Windows-1252 text; save it as "CSV UTF-8"',
        ),
        (
            "Katalog.xls",
            b"\xd0\xcf\x11\xe0",
            "Katalog.xls: is an old Excel file (.xls); save it as an Excel workbook (.xlsx)",
        ),
    ],
)
def test_an_unreadable_file_is_one_clear_message(
    settings_env: Path, name: str, content: bytes, message: str
) -> None:
    import_catalogue([write(settings_env / "strategie-ok.yaml", catalogue_files.STRATEGY_YAML)])
    before = row_counts()
    path = settings_env / name
    path.write_bytes(content)
    with pytest.raises(CatalogueError) as refused:
        import_catalogue([path])
    (problem,) = refused.value.problems
    assert str(problem).startswith(message)
    assert str(refused.value) == f"{problem} (nothing imported)"
    assert row_counts() == before


def test_a_new_maturity_model_must_fit_the_stored_levels(settings_env: Path) -> None:
    services = "OZG-ID;Leistung;Reifegradmodell;Reifegrad Ziel\n10218;Wohnsitz;v2.0;6\n"
    import_catalogue([write(settings_env / "OZG-Leistungen.csv", services)])
    before = row_counts()
    changed = "OZG-ID;Leistung;Reifegradmodell\n10218;Wohnsitz;v1.1\n"
    assert _problems([write(settings_env / "OZG-Leistungen.csv", changed)]) == [
        'OZG-Leistungen.csv, row 2, column "Reifegradmodell": maturity level 6 (the stored '
        "target level) does not exist in model v1.1 (0–4)"
    ]
    assert row_counts() == before
