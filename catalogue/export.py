"""`fahrplan export`: the catalogue in the import's layout, as one workbook or one CSV per sheet.

What is written reads back as it was: export → import → export gives the same cells.
"""

from __future__ import annotations

import csv
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from catalogue.sheets import (
    COMMITTEES,
    FIELDS_OF_ACTION,
    INDICATOR_VALUES,
    INDICATORS,
    MEASURES,
    MILESTONES,
    OZG_SERVICES,
    PEOPLE,
    PILLARS,
    Cell,
    Column,
    Sheet,
)
from models.db import session_scope
from models.enums import ValueKind
from models.errors import UserError
from models.indicator import Indicator, indicators_of
from models.measure import Measure, measures_of
from models.municipality import Municipality, current_strategy, municipality_by_slug
from models.ozg import OzgService, ozg_services_of
from models.person import Committee, committees_of, people_of
from models.settings import get_settings
from templating.cells import as_text_cell, neutralised
from templating.formatting import format_date, format_money, format_number, format_percent
from templating.labels import FLAG_LABELS, german_label

Record = dict[str, Any]
XLSX_FORMATS = {Cell.DATE: "DD.MM.YYYY", Cell.MONEY: '#,##0.00 "€"', Cell.PERCENT: "0%"}


@dataclass(frozen=True)
class SheetData:
    """One sheet's rows as typed values by field."""

    sheet: Sheet
    records: list[Record]


def export_catalogue(path: Path) -> str:
    """Write the configured municipality's catalogue to an .xlsx file or CSV files."""
    writer = _writer_for(path)
    with session_scope(actor="export") as session:
        town = municipality_by_slug(session=session, slug=get_settings().municipality)
        data = catalogue_sheets(session=session, municipality=town)
    written = writer(path, data)
    counts = ", ".join(f"{len(d.records)} {d.sheet.german}" for d in data)
    return f"wrote {counts} to {written}"


def _writer_for(path: Path) -> Callable[[Path, list[SheetData]], str]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return write_workbook
    if suffix == ".csv":
        return write_csv_files
    if suffix == "" or path.is_dir():
        return write_csv_files
    raise UserError(f"{path.name}: export writes an .xlsx workbook, or CSV files to a folder")


def catalogue_sheets(*, session: Session, municipality: Municipality | None) -> list[SheetData]:
    """Every sheet of the municipality's catalogue; empty sheets when it has none yet."""
    if municipality is None:
        empty = (MEASURES, MILESTONES, PEOPLE, OZG_SERVICES, INDICATORS, INDICATOR_VALUES)
        return [SheetData(sheet, []) for sheet in empty]
    measures = measures_of(session=session, municipality_id=municipality.id)
    services = ozg_services_of(session=session, municipality_id=municipality.id)
    code_of = {measure.id: measure.code for measure in measures}
    linked: dict[str, list[str]] = {}
    for service in services:
        if service.measure_id in code_of:
            linked.setdefault(code_of[service.measure_id], []).append(service.ozg_id)
    sheets = [
        SheetData(MEASURES, [_measure(m, sorted(linked.get(m.code, []))) for m in measures]),
        SheetData(MILESTONES, _milestones(measures)),
        SheetData(PEOPLE, _people(session, municipality)),
        SheetData(OZG_SERVICES, [_service(s, code_of) for s in services]),
    ]
    strategy = current_strategy(session=session, municipality_id=municipality.id)
    if strategy is not None and strategy.pillars:
        pillars = [{"name": p.name, "description": p.description} for p in strategy.pillars]
        sheets.append(SheetData(PILLARS, pillars))
    if strategy is not None and strategy.defines_fields:
        fields = [{"name": f.name, "description": f.description} for f in strategy.fields_of_action]
        sheets.append(SheetData(FIELDS_OF_ACTION, fields))
    committees = committees_of(session=session, municipality_id=municipality.id)
    if committees:
        sheets.append(SheetData(COMMITTEES, [_committee(c) for c in committees]))
    sheets += _indicator_sheets(indicators_of(session=session, municipality_id=municipality.id))
    return sheets


def _measure(measure: Measure, ozg_ids: list[str]) -> Record:
    return {
        "code": measure.code,
        "title": measure.title,
        "description": measure.description,
        "field_of_action": measure.field_of_action.name if measure.field_of_action else None,
        "pillars": [pillar.name for pillar in measure.pillars],
        "owner": measure.owner.email if measure.owner else None,
        "start": measure.starts_on,
        "end": measure.ends_on,
        "status": measure.status,
        "progress": measure.progress,
        "priority": measure.priority,
        "quick_win": measure.quick_win,
        "budget": measure.budget_planned,
        "ozg_ids": ozg_ids,
        "depends_on": sorted(other.code for other in measure.depends_on),
        "public": measure.is_public,
    }


def _milestones(measures: list[Measure]) -> list[Record]:
    rows = [
        {"code": m.code, "title": s.title, "due": s.due_on, "kind": s.kind, "done": s.done_on}
        for m in measures
        for s in m.milestones
    ]
    return sorted(rows, key=lambda row: (row["code"], row["due"], row["title"]))


def _people(session: Session, municipality: Municipality) -> list[Record]:
    people = people_of(session=session, municipality_id=municipality.id)
    email_of = {person.id: person.email for person in people}
    return [
        {
            "name": person.name,
            "email": person.email,
            "org_unit": person.org_unit,
            "deputy": email_of.get(person.deputy_id or 0),
            "language": person.language,
            "coordinator": person.is_coordinator,
            "apprise_urls": person.apprise_urls,
        }
        for person in people
    ]


def _committee(committee: Committee) -> Record:
    return {
        "name": committee.name,
        "recipients": committee.recipients,
        "apprise_urls": committee.apprise_urls,
        "meetings": [meeting.meets_on for meeting in committee.meetings],
        "oparl": committee.oparl_url,
    }


def _service(service: OzgService, code_of: dict[int, str]) -> Record:
    return {
        "ozg_id": service.ozg_id,
        "leika_key": service.leika_key,
        "name": service.name,
        "topic_field": service.topic_field,
        "code": code_of.get(service.measure_id or 0),
        "maturity_model": service.maturity_model,
        "maturity_current": service.maturity_current,
        "maturity_target": service.maturity_target,
        "deadline": service.deadline_on,
    }


def _indicator_sheets(indicators: list[Indicator]) -> list[SheetData]:
    """The indicators with their first target, then further targets and every measured value
    in the order they were recorded, so that a reimport keeps which value of a day counts."""
    rows, values = [], []
    for indicator in indicators:
        first = indicator.targets[0] if indicator.targets else None
        further = indicator.targets[1:]
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "baseline": indicator.baseline_value,
                "baseline_date": indicator.baseline_on,
                "target": first.value if first else None,
                "target_date": first.due_on if first else None,
                "owner": indicator.owner.email if indicator.owner else None,
                "field_of_action": indicator.field_of_action.name
                if indicator.field_of_action
                else None,
                "measures": [measure.code for measure in indicator.measures],
                "source": indicator.source,
                "public": indicator.is_public,
            }
        )
        values += [
            _value_record(indicator.code, t.due_on, t.value, ValueKind.TARGET, "") for t in further
        ]
        values += [
            _value_record(indicator.code, v.measured_on, v.value, ValueKind.ACTUAL, v.source)
            for v in indicator.values
        ]
    return [SheetData(INDICATORS, rows), SheetData(INDICATOR_VALUES, values)]


def _value_record(code: str, day: date, value: Decimal, kind: ValueKind, source: str) -> Record:
    return {"code": code, "date": day, "value": value, "kind": kind, "source": source}


def _text(value: Any) -> str | None:
    """What a text-like cell shows; None for an empty cell."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, bool):
        return FLAG_LABELS["de"][value]
    if isinstance(value, enum.Enum):
        return german_label(value)
    if isinstance(value, list):
        return "; ".join(format_date(v, "de") if isinstance(v, date) else v for v in value)
    return str(value)


def _xlsx_value(value: Any, column: Column) -> Any:
    """The value of a workbook cell: real dates and numbers where the column holds them."""
    if value is None:
        return None
    if column.cell is Cell.PERCENT:
        return Decimal(value) / 100
    if column.cell in (Cell.DATE, Cell.MONEY, Cell.NUMBER):
        return value
    return _text(value)


def _csv_value(value: Any, column: Column) -> str:
    """A cell as German Excel writes it into CSV, never one that Excel would run."""
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value, "de")
    if column.cell is Cell.MONEY:
        return format_money(value, "de")
    if column.cell is Cell.PERCENT:
        return format_percent(value, "de")
    if isinstance(value, Decimal):
        return format_number(value, "de")
    return neutralised(_text(value) or "")


def write_workbook(path: Path, data: list[SheetData]) -> str:
    """One workbook, a sheet per kind, German headers, date cells and number formats."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet_data in data:
        worksheet = workbook.create_sheet(sheet_data.sheet.german)
        columns = sheet_data.sheet.columns
        worksheet.append([column.german for column in columns])
        for number, record in enumerate(sheet_data.records, start=2):
            for index, column in enumerate(columns, start=1):
                value = _xlsx_value(record[column.field], column)
                as_text_cell(worksheet.cell(row=number, column=index, value=value))
        _format(worksheet, columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return str(path)


def _format(worksheet: Any, columns: tuple[Column, ...]) -> None:
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        widest = max((len(str(c.value or "")) for c in worksheet[letter][:200]), default=10)
        worksheet.column_dimensions[letter].width = min(max(widest, 8) + 2, 60)
        number_format = XLSX_FORMATS.get(column.cell)
        if number_format:
            for cell in worksheet[letter][1:]:
                cell.number_format = number_format


def write_csv_files(path: Path, data: list[SheetData]) -> str:
    """One CSV per sheet, German Excel style: `;`, UTF-8 with BOM.

    Into the folder `path`; for `name.csv`, beside it as `name-Maßnahmen.csv`, ….
    """
    folder, prefix = (path.parent, f"{path.stem}-") if path.suffix else (path, "")
    folder.mkdir(parents=True, exist_ok=True)
    for sheet_data in data:
        columns = sheet_data.sheet.columns
        target = folder / f"{prefix}{sheet_data.sheet.german}.csv"
        with target.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
            writer.writerow([column.german for column in columns])
            for record in sheet_data.records:
                writer.writerow([_csv_value(record[c.field], c) for c in columns])
    return str(folder / f"{prefix}*.csv") if prefix else str(folder)
