"""Indicators in the catalogue: YAML, XLSX and CSV read alike, every mistake is reported with its
place, values are appended once, and an export reads back as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from catalogue.export import export_catalogue
from catalogue.importer import import_catalogue
from catalogue.problems import CatalogueError
from models.db import session_scope
from models.enums import Direction
from models.indicator import indicators_of
from models.municipality import municipality_by_slug
from tests.builders import catalogue_files as samples
from tests.catalogue.conftest import row_counts, write

INDICATORS_YAML = """\
people:
  - {name: Jana Weber, email: jana.weber@example.org}
measures:
  - {code: V-02, title: Scanstelle, field_of_action: Digitale Verwaltung}
indicators:
  - {code: K-01, name: Online verfügbare OZG-Leistungen, unit: "%", direction: up,
     baseline: {value: 12, date: 2024-12-31},
     targets: [{value: 50, date: 2026-12-31}, {value: 90, date: 2028-12-31}],
     owner: jana.weber@example.org, field_of_action: Digitale Verwaltung, measures: [V-02],
     values: [{date: 2025-12-31, value: 21}]}
  - code: K-02
    name: Bearbeitungszeit Wohngeld
    unit: Tage
    direction: fallend
    baseline: {value: "42,5", date: 31.12.2024}
    source: Wohngeldstatistik
    public: nein
    values:
      - {date: 2025-06-30, value: "40,25", source: IT.NRW}
"""

INDICATORS_CSV = """\
Kennung;Indikator;Einheit;Richtung;Ausgangswert;Ausgangsdatum;Zielwert;Zieldatum;Verantwortlich;Handlungsfeld;Maßnahmen;Quelle;Öffentlich
K-01;Online verfügbare OZG-Leistungen;%;steigend;12;31.12.2024;50;31.12.2026;Jana Weber;Digitale Verwaltung;V-02;;ja
K-02;Bearbeitungszeit Wohngeld;Tage;fallend;42,5;31.12.2024;;;;;;Wohngeldstatistik;nein
"""  # noqa: E501
VALUES_CSV = """\
Kennung;Datum;Wert;Art;Quelle
K-01;31.12.2028;90;Ziel;
K-01;31.12.2025;21;Ist;
K-02;30.06.2025;40,25;Ist;IT.NRW
"""
PEOPLE_AND_MEASURES = """\
people:
  - {name: Jana Weber, email: jana.weber@example.org}
measures:
  - {code: V-02, title: Scanstelle, field_of_action: Digitale Verwaltung}
"""


def _source(text: str) -> str:
    """A value's source; for one an import file gave, the file's type."""
    return text.rsplit(".", 1)[-1] if text.startswith("Import ") else text


def _stored() -> list[dict[str, object]]:
    """The indicators as stored, in plain values (sources of import files left out)."""
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        return [
            {
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "direction": i.direction,
                "baseline": (i.baseline_on, i.baseline_value),
                "targets": [(t.due_on, t.value) for t in i.targets],
                "values": [(v.measured_on, v.value, _source(v.source)) for v in i.values],
                "owner": i.owner.email if i.owner else None,
                "field": i.field_of_action.name if i.field_of_action else None,
                "measures": [m.code for m in i.measures],
                "source": i.source,
                "public": i.is_public,
            }
            for i in indicators_of(session=session, municipality_id=town.id)
        ]


EXPECTED: list[dict[str, object]] = [
    {
        "code": "K-01",
        "name": "Online verfügbare OZG-Leistungen",
        "unit": "%",
        "direction": Direction.UP,
        "baseline": (date(2024, 12, 31), Decimal(12)),
        "targets": [(date(2026, 12, 31), Decimal(50)), (date(2028, 12, 31), Decimal(90))],
        "values": [(date(2025, 12, 31), Decimal(21), "FILE")],
        "owner": "jana.weber@example.org",
        "field": "Digitale Verwaltung",
        "measures": ["V-02"],
        "source": "",
        "public": True,
    },
    {
        "code": "K-02",
        "name": "Bearbeitungszeit Wohngeld",
        "unit": "Tage",
        "direction": Direction.DOWN,
        "baseline": (date(2024, 12, 31), Decimal("42.5")),
        "targets": [],
        "values": [(date(2025, 6, 30), Decimal("40.25"), "IT.NRW")],
        "owner": None,
        "field": None,
        "measures": [],
        "source": "Wohngeldstatistik",
        "public": False,
    },
]


def _expected(suffix: str) -> list[dict[str, object]]:
    first = dict(EXPECTED[0])
    first["values"] = [(date(2025, 12, 31), Decimal(21), suffix)]
    return [first, EXPECTED[1]]


def test_yaml_as_the_issue_writes_it(settings_env: Path) -> None:
    result = import_catalogue([write(settings_env / "strategie.yaml", INDICATORS_YAML)])
    assert _stored() == _expected("yaml")
    assert result.log.counts()["indicator"] == (2, 0)
    assert result.log.counts()["indicator value"] == (2, 0)


def test_german_csv_files_read_as_the_yaml(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "stamm.yaml", PEOPLE_AND_MEASURES)])
    import_catalogue(
        [
            write(settings_env / "Indikatoren.csv", INDICATORS_CSV),
            write(settings_env / "Indikatorwerte.csv", VALUES_CSV),
        ]
    )
    assert _stored() == _expected("csv")


def test_an_english_workbook_with_number_and_date_cells_reads_as_the_yaml(
    settings_env: Path,
) -> None:
    import_catalogue([write(settings_env / "stamm.yaml", PEOPLE_AND_MEASURES)])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "indicators"
    sheet.append(
        [
            *("code", "name", "unit", "direction", "baseline", "baseline_date", "target"),
            *("target_date", "owner", "field_of_action", "measures", "source", "public"),
        ]
    )
    sheet.append(
        [
            *("K-01", "Online verfügbare OZG-Leistungen", "%", "up", 12),
            *(samples.cell_date(2024, 12, 31), 50, "2026-12-31", "jana.weber@example.org"),
            *("Digitale Verwaltung", "V-02", None, "yes"),
        ]
    )
    sheet.append(
        [
            *("K-02", "Bearbeitungszeit Wohngeld", "Tage", "down", 42.5, "2024-12-31"),
            *(None, None, None, None, None, "Wohngeldstatistik", "no"),
        ]
    )
    values = book.create_sheet("indicator_values")
    values.append(["code", "date", "value", "kind", "source"])
    values.append(["K-01", samples.cell_date(2028, 12, 31), 90, "target", None])
    values.append(["K-01", samples.cell_date(2025, 12, 31), 21, "actual", None])
    values.append(["K-02", "2025-06-30", 40.25, "Ist", "IT.NRW"])
    book.save(settings_env / "kennzahlen.xlsx")
    import_catalogue([settings_env / "kennzahlen.xlsx"])
    assert _stored() == _expected("xlsx")


def test_a_second_import_appends_nothing_and_a_correction_is_appended(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "stamm.yaml", PEOPLE_AND_MEASURES)])
    files = [
        write(settings_env / "Indikatoren.csv", INDICATORS_CSV),
        write(settings_env / "Indikatorwerte.csv", VALUES_CSV),
    ]
    import_catalogue(files)
    assert import_catalogue(files).log.changes == []
    corrected = VALUES_CSV.replace("K-01;31.12.2025;21;Ist;", "K-01;31.12.2025;22;Ist;")
    result = import_catalogue([write(settings_env / "Indikatorwerte.csv", corrected)])
    assert [str(change) for change in result.log.changes] == [
        "create indicator value K-01 2025-12-31"
    ]
    [k01, _] = _stored()
    assert k01["values"] == [
        (date(2025, 12, 31), Decimal(21), "csv"),
        (date(2025, 12, 31), Decimal(22), "csv"),
    ]


INDICATORS_WITH_EVERY_MISTAKE = """\
Kennung;Indikator;Richtung;Ausgangswert;Ausgangsdatum;Zielwert;Zieldatum;Verantwortlich;Handlungsfeld;Maßnahmen;Öffentlich
K-01;OZG online;steigend;12;31.12.2024;50;;jana.weber@example.org;Digitale Verwaltng;V-9;vielleicht
K-01;Doppelt;steigend;1;31.12.2024;;;;;;
K-04;Unlesbar;seitwärts;1,1234567;;;;;;;
K-03;Früher Zielwert;fallend;40;31.12.2024;20;30.06.2024;Jana Webber;;;
"""
VALUES_WITH_EVERY_MISTAKE = """\
Kennung;Datum;Wert;Art;Quelle
K-99;31.12.2025;21;Ist;
K-03;31.12.2025;viel;Plan;
K-03;31.12.2023;10;Ziel;
K-03;31.12.2027;10;Ziel;
K-03;31.12.2027;12;Ziel;
"""


def _problems(paths: list[Path]) -> list[str]:
    with pytest.raises(CatalogueError) as refused:
        import_catalogue(paths)
    return [str(problem) for problem in refused.value.problems]


def test_every_problem_of_an_indicator_sheet_is_listed_with_its_cell(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "strategie.yaml", samples.STRATEGY_YAML)])
    before = row_counts()
    files = [
        write(settings_env / "Indikatoren.csv", INDICATORS_WITH_EVERY_MISTAKE),
        write(settings_env / "Indikatorwerte.csv", VALUES_WITH_EVERY_MISTAKE),
    ]
    assert _problems(files) == [
        'Indikatoren.csv, row 2, column "Öffentlich": "vielleicht" is neither ja/yes nor nein/no',
        'Indikatoren.csv, row 2, column "Verantwortlich": unknown owner "jana.weber@example.org", '
        'did you mean "anna.schmidt@example.org"?',
        'Indikatoren.csv, row 2, column "Handlungsfeld": unknown field of action '
        '"Digitale Verwaltng", did you mean "Digitale Verwaltung"?',
        'Indikatoren.csv, row 2, column "Maßnahmen": unknown measure "V-9"',
        'Indikatoren.csv, row 2, column "Zieldatum": a target needs both a value and a date',
        'Indikatoren.csv, row 3, column "Kennung": duplicate indicator code K-01 (first at row 2)',
        'Indikatoren.csv, row 4, column "Richtung": unknown direction "seitwärts" '
        "(expected one of steigend, fallend)",
        'Indikatoren.csv, row 4, column "Ausgangswert": 1,1234567 has more than six decimal places',
        'Indikatoren.csv, row 4, column "Ausgangsdatum": is empty',
        'Indikatoren.csv, row 5, column "Verantwortlich": unknown owner "Jana Webber"',
        'Indikatoren.csv, row 5, column "Zieldatum": target date 2024-06-30 is not after the '
        "baseline date 2024-12-31",
        'Indikatorwerte.csv, row 2, column "Kennung": unknown indicator "K-99"',
        'Indikatorwerte.csv, row 3, column "Wert": "viel" is not a number such as 1.234,56',
        'Indikatorwerte.csv, row 3, column "Art": unknown value kind "Plan" '
        "(expected one of Ist, Ziel)",
        'Indikatorwerte.csv, row 4, column "Datum": target date 2023-12-31 is not after the '
        "baseline date 2024-12-31",
        'Indikatorwerte.csv, row 6, column "Wert": a second target for K-03 on 2027-12-31 '
        "(12 here, 10 at row 5)",
    ]
    assert row_counts() == before


def test_a_sheet_without_a_required_column_says_so_once(settings_env: Path) -> None:
    sheet = "Kennung;Indikator;Ausgangswert;Ausgangsdatum\nK-01;OZG;12;31.12.2024\n"
    assert _problems([write(settings_env / "Indikatoren.csv", sheet)]) == [
        'Indikatoren.csv, row 1: missing column "Richtung" (or "direction")'
    ]


def test_every_problem_of_a_yaml_indicator_is_listed_with_its_line(settings_env: Path) -> None:
    text = """\
indicators:
  - code: K-01
    name: OZG online
    direction: up
    baseline: {value: 12, date: 2024-12-31}
    targets:
      - {value: 50, date: 2024-06-30}
    values:
      - {date: 31.13.2025, value: zwölf}
  - code: K-02
    name: Ohne Ausgangsdatum
    direction: abwärts
    baseline: 40
"""
    assert _problems([write(settings_env / "kennzahlen.yaml", text)]) == [
        'kennzahlen.yaml, line 7, field "date": target date 2024-06-30 is not after the '
        "baseline date 2024-12-31",
        'kennzahlen.yaml, line 9, field "date": 31.13.2025 is not a date: there is no month 13',
        'kennzahlen.yaml, line 9, field "value": "zwölf" is not a number such as 1.234,56',
        'kennzahlen.yaml, line 12, field "direction": unknown direction "abwärts" '
        "(expected one of steigend, fallend)",
        'kennzahlen.yaml, line 13, field "baseline.date": is empty',
    ]


def test_indicators_export_and_read_back_cell_for_cell(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "strategie.yaml", INDICATORS_YAML)])
    export_catalogue(settings_env / "export")
    indicators = (settings_env / "export" / "Indikatoren.csv").read_text(encoding="utf-8-sig")
    values = (settings_env / "export" / "Indikatorwerte.csv").read_text(encoding="utf-8-sig")
    assert indicators.splitlines() == [
        "Kennung;Indikator;Einheit;Richtung;Ausgangswert;Ausgangsdatum;Zielwert;Zieldatum;"
        "Verantwortlich;Handlungsfeld;Maßnahmen;Quelle;Öffentlich",
        "K-01;Online verfügbare OZG-Leistungen;%;steigend;12;31.12.2024;50;31.12.2026;"
        "jana.weber@example.org;Digitale Verwaltung;V-02;;ja",
        "K-02;Bearbeitungszeit Wohngeld;Tage;fallend;42,5;31.12.2024;;;;;;Wohngeldstatistik;nein",
    ]
    assert values.splitlines() == [
        "Kennung;Datum;Wert;Art;Quelle",
        "K-01;31.12.2028;90;Ziel;",
        "K-01;31.12.2025;21;Ist;Import strategie.yaml",
        "K-02;30.06.2025;40,25;Ist;IT.NRW",
    ]
    assert import_catalogue([settings_env / "export"]).log.changes == []
