"""Exports beside the report: an XLSX annex for people, open data (CSV, JSON) for machines, and a
CSV a Decidim participation platform can import into its accountability component.

People's files show German formats (`31.12.2026`, `1.234,56 €`, `45 %`): the XLSX keeps real
dates and numbers and gives them those display formats, so they still sort and sum. Machines'
files carry ISO dates (`2026-12-31`), plain numbers with a decimal point (`1234.56`, `45`) and
status keys (`in_progress`), which any program reads without knowing German conventions.
Open data is always made from the public view, whatever variant the report is.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.enums import Health
from models.settings import Language
from reports.data import IndicatorEntry, MeasureEntry, ReportData
from reports.wording import labels
from templating.cells import as_text_cell, csv_cell

Cell = str | int | Decimal | date | bool | None

DATE_FORMATS = {"de": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
MONEY_FORMATS = {"de": '#,##0.00" €"', "en": '"€"#,##0.00'}
# An unquoted % makes the spreadsheet show the stored fraction 0.45 as 45 %.
PERCENT_FORMATS = {"de": "0 %", "en": "0%"}


# --- XLSX annex -----------------------------------------------------------------------------


class Column:
    """One column of a sheet: its header, how to read a value, and how to show it."""

    def __init__(self, header: str, read: Callable[[Any], Cell], kind: str = "text") -> None:
        self.header = header
        self.read = read
        self.kind = kind


def _health(t: dict[str, Any], health: Health | None) -> str | None:
    return t["healths"][health] if health else None


def _measure_columns(data: ReportData, t: dict[str, Any]) -> list[Column]:
    people = [] if data.public else [Column(t["owner"], lambda m: m.owner_name)]
    return [
        Column(t["code"], lambda m: m.code),
        Column(t["title"], lambda m: m.title),
        Column(t["field"], lambda m: m.field_of_action),
        Column(t["pillars"], lambda m: ", ".join(m.pillars)),
        *people,
        Column(t["org_unit"], lambda m: m.org_unit),
        Column(t["status"], lambda m: t["statuses"][m.status]),
        Column(t["health"], lambda m: _health(t, m.health.effective) if m.status.is_open else None),
        Column(t["derived_health"], lambda m: t["healths"][m.health.derived]),
        Column(t["reported_health"], lambda m: _health(t, m.health.reported)),
        Column(t["progress"], lambda m: Decimal(m.progress) / 100, "percent"),
        Column(t["starts_on"], lambda m: m.starts_on, "date"),
        Column(t["ends_on"], lambda m: m.ends_on, "date"),
        Column(t["forecast_end_on"], lambda m: m.forecast_end_on, "date"),
        Column(t["finished_on"], lambda m: m.finished_on, "date"),
        Column(t["priority"], lambda m: t["priorities"][m.priority] if m.priority else None),
        Column(t["quick_win"], lambda m: t["yes"] if m.quick_win else t["no"]),
        Column(t["budget_planned"], lambda m: m.budget_planned, "money"),
        Column(t["budget_spent"], lambda m: m.budget_spent, "money"),
    ]  # fmt: skip


def _milestone_columns(t: dict[str, Any]) -> list[Column]:
    return [
        Column(t["code"], lambda row: row[0].code),
        Column(t["measure"], lambda row: row[0].title),
        Column(t["milestone"], lambda row: row[1].title),
        Column(t["kind"], lambda row: t["kinds"][row[1].kind]),
        Column(t["due_on"], lambda row: row[1].due_on, "date"),
        Column(t["finished_on"], lambda row: row[1].done_on, "date"),
    ]


def _ozg_columns(t: dict[str, Any]) -> list[Column]:
    return [
        Column(t["ozg_id"], lambda s: s.ozg_id),
        Column("LeiKa", lambda s: s.leika_key),
        Column(t["service"], lambda s: s.name),
        Column(t["topic_field"], lambda s: s.topic_field),
        Column(t["measure"], lambda s: s.measure_code),
        Column(t["maturity_model"], lambda s: t["models"][s.maturity_model]),
        Column(t["maturity_current"], lambda s: s.maturity_current),
        Column(t["maturity_target"], lambda s: s.maturity_target),
        Column(t["deadline"], lambda s: s.deadline_on, "date"),
    ]


def _fill(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Any], lang: Language) -> None:
    formats = {
        "date": DATE_FORMATS[lang],
        "money": MONEY_FORMATS[lang],
        "percent": PERCENT_FORMATS[lang],
    }
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, row in enumerate(rows, start=2):
        for number, column in enumerate(columns, start=1):
            cell = sheet.cell(row=index, column=number, value=column.read(row))
            # Text typed as "=…" must stay text, never become a formula.
            as_text_cell(cell)
            if column.kind in formats:
                cell.number_format = formats[column.kind]
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(12, len(column.header) + 2)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


def write_xlsx_annex(data: ReportData, path: Path, *, language: Language) -> Path:
    """Every measure, milestone and OZG service of the report in a workbook, one sheet each."""
    t = labels(language)
    book = Workbook()
    # A new workbook comes with one sheet: the measures go there.
    measures = book.worksheets[0]
    measures.title = t["sheet_measures"]
    _fill(measures, _measure_columns(data, t), data.measures, language)
    milestones = [(m, s) for m in data.measures for s in m.milestones]
    _fill(book.create_sheet(t["sheet_milestones"]), _milestone_columns(t), milestones, language)
    _fill(book.create_sheet(t["sheet_ozg"]), _ozg_columns(t), data.ozg_services, language)
    book.properties.title = f"{t['doc_title']} {data.period_code}"
    book.properties.creator = data.municipality_name
    book.save(path)
    return path


# --- Open data --------------------------------------------------------------------------------

OPEN_DATA_COLUMNS = [
    "code", "title", "description", "field_of_action", "pillars", "org_unit", "status",
    "health", "health_derived", "health_reported", "progress", "starts_on", "ends_on",
    "forecast_end_on", "finished_on", "priority", "quick_win", "budget_planned", "budget_spent",
]  # fmt: skip


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _open_record(measure: MeasureEntry) -> dict[str, object]:
    record = measure.model_dump(
        include={
            "code", "title", "description", "field_of_action", "pillars", "org_unit", "status",
            "progress", "starts_on", "ends_on", "forecast_end_on", "finished_on", "priority",
            "quick_win", "budget_planned", "budget_spent",
        },
        mode="json",
    )  # fmt: skip
    record["health"] = measure.health.effective.value if measure.status.is_open else None
    record["health_derived"] = measure.health.derived.value
    record["health_reported"] = measure.health.reported.value if measure.health.reported else None
    return {column: record[column] for column in OPEN_DATA_COLUMNS}


def write_open_data_csv(public: ReportData, path: Path) -> Path:
    """One row per public measure; pillars joined by `|`; empty cells for unknown values."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(OPEN_DATA_COLUMNS)
        for measure in public.measures:
            record = _open_record(measure)
            record["pillars"] = "|".join(measure.pillars)
            writer.writerow(["" if value is None else csv_cell(value) for value in record.values()])
    return path


def write_open_data_json(public: ReportData, path: Path) -> Path:
    """The public measures with their milestones, the OZG services and the key figures."""
    document = {
        "municipality": {"slug": public.municipality_slug, "name": public.municipality_name},
        "period": {
            "code": public.period_code,
            "starts_on": public.period_starts_on.isoformat(),
            "ends_on": public.period_ends_on.isoformat(),
        },
        "as_of": public.as_of.isoformat(),
        "taken_at": public.taken_at.isoformat(),
        "measures": [
            _open_record(m) | {"milestones": [s.model_dump(mode="json") for s in m.milestones]}
            for m in public.measures
        ],
        "ozg_services": [s.model_dump(mode="json") for s in public.ozg_services],
        "indicators": [_open_indicator(i) for i in public.indicators],
        "figures": public.figures.model_dump(mode="json"),
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


INDICATOR_COLUMNS = [
    "code", "name", "unit", "direction", "field_of_action", "kind", "date", "value", "source",
    "state", "stale",
]  # fmt: skip


def _open_indicator(indicator: IndicatorEntry) -> dict[str, object]:
    """An indicator with its baseline, targets, values and judgement, in plain JSON values."""
    record = indicator.model_dump(
        mode="json", exclude={"owner_name", "org_unit", "is_public", "values"}
    )
    record["values"] = [v.model_dump(mode="json") for v in indicator.values]
    return record


def _indicator_rows(indicator: IndicatorEntry) -> list[list[object]]:
    head = [
        indicator.code, indicator.name, indicator.unit, indicator.direction.value,
        indicator.field_of_action,
    ]  # fmt: skip
    tail = [indicator.state.value, str(indicator.stale).lower()]
    points = [("baseline", indicator.baseline)]
    points += [("target", t) for t in indicator.targets]
    points += [("actual", v) for v in indicator.values]
    return [
        [*head, kind, point.on.isoformat(), _plain(point.value), point.source, *tail]
        for kind, point in points
    ]


def write_open_data_indicators_csv(public: ReportData, path: Path) -> Path:
    """One row per number of each public indicator: its baseline, its targets and every
    measured value, with the indicator's state on the report's day beside each."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(INDICATOR_COLUMNS)
        for indicator in public.indicators:
            writer.writerows(_indicator_rows(indicator))
    return path


# --- Decidim accountability -------------------------------------------------------------------
#
# Followed: decidim/decidim, decidim-accountability/lib/decidim/accountability/result_serializer.rb
# (the columns Decidim exports: id, parent/id, title/<locale>, description/<locale>, start_date,
# end_date, status/id, status/key, status/name/<locale>, progress, reference, …, flattened with
# "/" by decidim-core/lib/decidim/exporters/csv.rb, separator ";" = Decidim.default_csv_col_sep)
# and decidim-accountability/app/services/decidim/accountability/results_csv_importer.rb (what
# an import reads: `id`, `parent/id`, `title/<locale>` falling back to the default locale,
# `description/<locale>`, `start_date`, `end_date` parsed as dates, `status/id`, `progress`, and
# any other column named like an attribute of the result form, such as `external_id`).
#
# The importer updates the result whose Decidim id equals `id` and creates the others, then
# points `parent/id` of the results it created at their parents' new ids. So `id` is a whole
# number that stays with its measure (or field of action) from quarter to quarter, drawn from
# 1,000,000,000–1,999,999,999: far above the ids a Decidim installation hands out, so an import
# never overwrites a result of someone else's, and within the 32-bit columns Decidim keeps them
# in. `external_id` (`<municipality>/<code>`) names the measure for anyone matching by hand.
# Fields of action become parent results, measures their children. `status/id` stays empty
# because status ids belong to the Decidim component; `status/key` and the names say which
# status is meant. Decidim requires a title and a description in the default locale, so a
# measure without a description is described by its title. Descriptions are HTML in Decidim,
# so the text is escaped into <p>.

DECIDIM_COLUMNS = [
    "id", "parent/id", "external_id", "title/de", "title/en", "description/de", "description/en",
    "start_date", "end_date", "status/id", "status/key", "status/name/de", "status/name/en",
    "progress", "reference",
]  # fmt: skip
DECIDIM_FIRST_ID = 1_000_000_000
DECIDIM_IDS = 1_000_000_000


def decidim_ids(municipality: str, keys: Sequence[str]) -> dict[str, int]:
    """A stable id for each key (`measure/V-01`, `field/Bildung`) of a municipality.

    The id is a hash of municipality and key, so it does not depend on what else the file
    holds. Two keys whose hashes clash (for a town of 300 measures a chance of 1 in 20,000)
    are settled in the order of the keys: the later one takes its next hash.
    """
    ids: dict[str, int] = {}
    taken: set[int] = set()
    for key in sorted(set(keys)):
        attempt = 0
        while True:
            digest = hashlib.sha256(f"{municipality}\n{key}\n{attempt}".encode()).digest()
            number = DECIDIM_FIRST_ID + int.from_bytes(digest[:8], "big") % DECIDIM_IDS
            if number not in taken:
                break
            attempt += 1
        ids[key] = number
        taken.add(number)
    return ids


def _decidim_description(text: str, fallback: str) -> str:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()] or [fallback]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _decidim_measure(
    measure: MeasureEntry, municipality: str, number: int, parent: int | None
) -> list[object]:
    german, english = labels("de"), labels("en")
    return [
        number, parent or "", f"{municipality}/{measure.code}", measure.title, "",
        _decidim_description(measure.description, measure.title), "",
        _plain(measure.starts_on) or "", _plain(measure.ends_on) or "", "", measure.status.value,
        german["statuses"][measure.status], english["statuses"][measure.status],
        measure.progress, measure.code,
    ]  # fmt: skip


def _decidim_field(name: str, number: int, measures: Sequence[MeasureEntry]) -> list[object]:
    starts = [m.starts_on for m in measures if m.starts_on]
    ends = [m.ends_on for m in measures if m.ends_on]
    counted = [m.progress for m in measures if m.status.value != "cancelled"]
    progress = round(sum(counted) / len(counted)) if counted else 0
    description = f"{labels('de')['field']} {name}: {len(measures)} {labels('de')['measures']}"
    return [
        number, "", "", name, "", _decidim_description("", description), "",
        _plain(min(starts)) if starts else "", _plain(max(ends)) if ends else "", "", "", "", "",
        progress, "",
    ]  # fmt: skip


def write_decidim_csv(public: ReportData, path: Path) -> Path:
    """Public measures as results of Decidim's accountability component, grouped by field."""
    slug = public.municipality_slug
    groups = [
        (name, [m for m in public.measures if m.field_of_action == name])
        for name in [*public.fields_of_action, ""]
    ]
    keys = [f"field/{name}" for name, group in groups if name and group]
    ids = decidim_ids(slug, keys + [f"measure/{m.code}" for m in public.measures])
    rows: list[list[object]] = []
    for name, group in groups:
        parent = ids[f"field/{name}"] if name and group else None
        if parent is not None:
            rows.append(_decidim_field(name, parent, group))
        rows += [_decidim_measure(m, slug, ids[f"measure/{m.code}"], parent) for m in group]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(DECIDIM_COLUMNS)
        writer.writerows([csv_cell(value) for value in row] for row in rows)
    return path
