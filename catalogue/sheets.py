"""The spreadsheet layout: sheet names and column headers in German and English.

Import matches names and headers ignoring case, spaces, `-`, `_` and `.`; export writes the
German names in this order, so an export reads back as it was written.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from catalogue.rows import (
    CommitteeRow,
    FieldRow,
    IndicatorRow,
    IndicatorValueRow,
    MeasureRow,
    MilestoneRow,
    OzgRow,
    PersonRow,
    PillarRow,
    SourceRow,
)

_IGNORED = re.compile(r"[\s_.\-]+")


def header_key(text: str) -> str:
    """What a sheet name or header is compared by: `Fällig am`, `fälligam` and `FÄLLIG_AM` agree."""
    return _IGNORED.sub("", text.casefold())


class Cell(enum.Enum):
    """How a column's values are written on export."""

    TEXT = "text"
    DATE = "date"
    MONEY = "money"
    PERCENT = "percent"
    FLAG = "flag"
    LIST = "list"
    DATES = "dates"
    LABEL = "label"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    """One column: the row field it fills, its German and English header, other accepted names."""

    field: str
    german: str
    english: str
    cell: Cell = Cell.TEXT
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> set[str]:
        """Every header this column is recognised by, as compared."""
        return {header_key(name) for name in (self.german, self.english, *self.aliases)}


@dataclass(frozen=True)
class Sheet:
    """One sheet (or CSV file): which catalogue list it fills and its columns."""

    kind: str
    german: str
    english: str
    row: type[SourceRow]
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> set[str]:
        """Every sheet name (or CSV file name) this sheet is recognised by, as compared."""
        return {header_key(name) for name in (self.german, self.english, *self.aliases)}

    @property
    def required(self) -> list[Column]:
        """The columns a sheet of this kind cannot do without."""
        fields = self.row.model_fields
        return [column for column in self.columns if fields[column.field].is_required()]

    def column_for(self, header: str) -> Column | None:
        """The column a header names, if any."""
        key = header_key(header)
        return next((column for column in self.columns if key in column.keys), None)


MEASURES = Sheet(
    "measures",
    "Maßnahmen",
    "measures",
    MeasureRow,
    (
        Column("code", "Nr.", "code", aliases=("Nummer", "Kennung")),
        Column("title", "Maßnahme", "title", aliases=("Titel",)),
        Column("description", "Beschreibung", "description"),
        Column("field_of_action", "Handlungsfeld", "field_of_action"),
        Column("pillars", "Säule", "pillar", Cell.LIST, aliases=("Säulen", "pillars")),
        Column("owner", "Verantwortlich", "owner", aliases=("Verantwortung",)),
        Column("start", "Beginn", "start", Cell.DATE),
        Column("end", "Ende", "end", Cell.DATE),
        Column("status", "Status", "status", Cell.LABEL),
        Column("progress", "Fortschritt", "progress", Cell.PERCENT),
        Column("priority", "Priorität", "priority", Cell.LABEL),
        Column("quick_win", "Quick Win", "quick_win", Cell.FLAG),
        Column("budget", "Budget", "budget", Cell.MONEY),
        Column("ozg_ids", "OZG-ID", "ozg_id", Cell.LIST, aliases=("OZG-IDs", "ozg_ids")),
        Column("depends_on", "Abhängig von", "depends_on", Cell.LIST, aliases=("Abhängigkeiten",)),
        Column("public", "Öffentlich", "public", Cell.FLAG),
    ),
)

MILESTONES = Sheet(
    "milestones",
    "Meilensteine",
    "milestones",
    MilestoneRow,
    (
        Column("code", "Nr.", "code", aliases=("Nummer",)),
        Column("title", "Meilenstein", "title"),
        Column("due", "Fällig am", "due", Cell.DATE, aliases=("Fällig", "due_on")),
        Column("kind", "Art", "kind", Cell.LABEL),
        Column("done", "Erledigt am", "done", Cell.DATE, aliases=("Erledigt", "done_on")),
    ),
)

PEOPLE = Sheet(
    "people",
    "Personen",
    "people",
    PersonRow,
    (
        Column("name", "Name", "name"),
        Column("email", "E-Mail", "email", aliases=("E-Mail-Adresse",)),
        Column("org_unit", "Organisationseinheit", "org_unit"),
        Column("deputy", "Vertretung", "deputy"),
        Column("language", "Sprache", "language"),
        Column("coordinator", "Koordination", "coordinator", Cell.FLAG),
        Column("apprise_urls", "Apprise-URLs", "apprise_urls", Cell.LIST),
    ),
)

OZG_SERVICES = Sheet(
    "ozg_services",
    "OZG-Leistungen",
    "ozg_services",
    OzgRow,
    (
        Column("ozg_id", "OZG-ID", "ozg_id"),
        Column("leika_key", "LeiKa-Schlüssel", "leika_key"),
        Column("name", "Leistung", "name"),
        Column("topic_field", "Themenfeld", "topic_field"),
        Column("code", "Nr.", "code"),
        Column("maturity_model", "Reifegradmodell", "maturity_model", Cell.LABEL),
        Column("maturity_current", "Reifegrad aktuell", "maturity_current", Cell.NUMBER),
        Column("maturity_target", "Reifegrad Ziel", "maturity_target", Cell.NUMBER),
        Column("deadline", "Frist", "deadline", Cell.DATE),
    ),
)

PILLARS = Sheet(
    "pillars",
    "Säulen",
    "pillars",
    PillarRow,
    (
        Column("name", "Säule", "pillar"),
        Column("description", "Beschreibung", "description"),
    ),
)

FIELDS_OF_ACTION = Sheet(
    "fields_of_action",
    "Handlungsfelder",
    "fields_of_action",
    FieldRow,
    (
        Column("name", "Handlungsfeld", "field_of_action"),
        Column("description", "Beschreibung", "description"),
    ),
)

COMMITTEES = Sheet(
    "committees",
    "Ausschüsse",
    "committees",
    CommitteeRow,
    (
        Column("name", "Ausschuss", "committee"),
        Column("recipients", "Empfänger", "recipients", Cell.LIST),
        Column("apprise_urls", "Apprise-URLs", "apprise_urls", Cell.LIST),
        Column("meetings", "Sitzungen", "meetings", Cell.DATES, aliases=("Sitzungstermine",)),
        Column("oparl", "OParl", "oparl", aliases=("OParl-URL", "oparl_url")),
    ),
    aliases=("Ausschuss", "committee"),
)


INDICATORS = Sheet(
    "indicators",
    "Indikatoren",
    "indicators",
    IndicatorRow,
    (
        Column("code", "Kennung", "code", aliases=("Nr.",)),
        Column("name", "Indikator", "name", aliases=("Kennzahl", "indicator")),
        Column("unit", "Einheit", "unit"),
        Column("direction", "Richtung", "direction", Cell.LABEL),
        Column("baseline", "Ausgangswert", "baseline", Cell.NUMBER),
        Column("baseline_date", "Ausgangsdatum", "baseline_date", Cell.DATE),
        Column("target", "Zielwert", "target", Cell.NUMBER),
        Column("target_date", "Zieldatum", "target_date", Cell.DATE),
        Column("owner", "Verantwortlich", "owner", aliases=("Verantwortung",)),
        Column("field_of_action", "Handlungsfeld", "field_of_action"),
        Column("measures", "Maßnahmen", "measures", Cell.LIST),
        Column("source", "Quelle", "source"),
        Column("public", "Öffentlich", "public", Cell.FLAG),
    ),
    aliases=("Kennzahlen",),
)

INDICATOR_VALUES = Sheet(
    "indicator_values",
    "Indikatorwerte",
    "indicator_values",
    IndicatorValueRow,
    (
        Column("code", "Kennung", "code", aliases=("Nr.",)),
        Column("date", "Datum", "date", Cell.DATE),
        Column("value", "Wert", "value", Cell.NUMBER),
        Column("kind", "Art", "kind", Cell.LABEL),
        Column("source", "Quelle", "source"),
    ),
    aliases=("Kennzahlwerte",),
)

SHEETS = (
    MEASURES,
    MILESTONES,
    PEOPLE,
    OZG_SERVICES,
    PILLARS,
    FIELDS_OF_ACTION,
    COMMITTEES,
    INDICATORS,
    INDICATOR_VALUES,
)


def sheet_named(name: str) -> Sheet | None:
    """The sheet a sheet name or CSV file name (`Maßnahmen`, `katalog-measures`) stands for."""
    key = header_key(name)
    for sheet in SHEETS:
        if key in sheet.keys or any(key.endswith(other) for other in sheet.keys):
            return sheet
    return None


def sheet_with_headers(headers: list[str]) -> Sheet | None:
    """The sheet whose required columns are all among these headers and that matches most."""
    keys = {header_key(header) for header in headers}
    scored = [
        (sum(bool(column.keys & keys) for column in sheet.columns), sheet)
        for sheet in SHEETS
        if all(column.keys & keys for column in sheet.required)
    ]
    if not scored:
        return None
    best = max(score for score, _ in scored)
    winners = [sheet for score, sheet in scored if score == best]
    return winners[0] if len(winners) == 1 else None
