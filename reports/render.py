"""Rendering a report: its data in, HTML or PDF/A out; no database, no clock.

The PDF is PDF/A-2u (archivable, every glyph mapped to Unicode so the text can be searched and
read aloud) with tagged structure for screen readers; WeasyPrint embeds the fonts it uses.
PDF/A-2 rather than 3 because the report embeds no files, and archives accept part 2 widely.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from weasyprint import HTML

from models.enums import MeasureStatus
from models.settings import Language
from reports.charts import (
    HEALTH_COLOURS,
    STATUS_COLOURS,
    LineChart,
    indicator_chart,
    progress_chart,
    status_chart,
)
from reports.data import (
    FieldFigures,
    IndicatorEntry,
    IndicatorPoint,
    MeasureEntry,
    MilestoneEntry,
    OzgEntry,
    ReportData,
)
from reports.figures import at_risk
from reports.wording import labels, quarter_label, reason_translator
from templating import render

PDF_VARIANT = "pdf/a-2u"
HORIZON_DAYS = 90


class RoadmapItem(BaseModel):
    """A milestone with the measure it belongs to."""

    measure: MeasureEntry
    milestone: MilestoneEntry
    days_overdue: int


class OzgRow(BaseModel):
    """An OZG service and where it stands."""

    service: OzgEntry
    state: str


class IndicatorRow(BaseModel):
    """A line of an indicator's table of numbers."""

    on: date
    kind: str
    value: IndicatorPoint


class IndicatorItem(BaseModel):
    """An indicator as the chapter shows it: numbered, with its chart and its numbers."""

    number: int
    entry: IndicatorEntry
    chart: LineChart
    rows: list[IndicatorRow]


class IndicatorField(BaseModel):
    """A field of action with its measures' figures and its indicators."""

    name: str
    figures: FieldFigures | None
    items: list[IndicatorItem]


def _indicator_rows(entry: IndicatorEntry) -> list[IndicatorRow]:
    rows = [IndicatorRow(on=entry.baseline.on, kind="baseline", value=entry.baseline)]
    rows += [IndicatorRow(on=v.on, kind="actual", value=v) for v in entry.values]
    rows += [IndicatorRow(on=t.on, kind="target", value=t) for t in entry.targets]
    return sorted(rows, key=lambda row: row.on)


def _indicator_fields(data: ReportData) -> list[IndicatorField]:
    """The indicators by field of action in the strategy's order (those without a field last),
    each field beside the figures of its measures."""
    figures = {field.name: field for field in data.figures.fields}
    order = {name: index for index, name in enumerate(data.fields_of_action)}
    grouped: dict[str, list[IndicatorEntry]] = {}
    last = len(order)
    for entry in sorted(
        data.indicators, key=lambda e: (order.get(e.field_of_action, last), e.code)
    ):
        grouped.setdefault(entry.field_of_action, []).append(entry)
    fields, number = [], 0
    for name, entries in grouped.items():
        items = []
        for entry in entries:
            number += 1
            chart = indicator_chart(entry)
            items.append(
                IndicatorItem(number=number, entry=entry, chart=chart, rows=_indicator_rows(entry))
            )
        fields.append(IndicatorField(name=name, figures=figures.get(name), items=items))
    return fields


def _roadmap(data: ReportData) -> tuple[list[RoadmapItem], list[RoadmapItem]]:
    horizon = data.as_of + timedelta(days=HORIZON_DAYS)
    items = [
        RoadmapItem(measure=m, milestone=s, days_overdue=max((data.as_of - s.due_on).days, 0))
        for m in data.measures
        if m.status.is_open
        for s in m.milestones
        if s.done_on is None and s.due_on <= horizon
    ]
    items.sort(key=lambda item: (item.milestone.due_on, item.measure.code))
    overdue = [item for item in items if item.milestone.due_on < data.as_of]
    return overdue, [item for item in items if item.milestone.due_on >= data.as_of]


def _ozg_state(service: OzgEntry, on: date) -> str:
    if service.maturity_current >= service.maturity_target:
        return "reached"
    late = service.deadline_on is not None and service.deadline_on < on
    return "late" if late else "open"


def _by_field(data: ReportData) -> list[tuple[str, list[MeasureEntry]]]:
    """The measures grouped by field of action, the fields in the strategy's order."""
    groups: dict[str, list[MeasureEntry]] = {field.name: [] for field in data.figures.fields}
    for measure in data.measures:
        groups.setdefault(measure.field_of_action, []).append(measure)
    return [(name, measures) for name, measures in groups.items() if measures]


def _context(data: ReportData, language: Language, zone: ZoneInfo) -> dict[str, Any]:
    words = labels(language)
    overdue, upcoming = _roadmap(data)
    return {
        "report": data,
        "figures": data.figures,
        "labels": words,
        "language": language,
        "zone": zone,
        "quarter": quarter_label(data.period_code, language),
        "measures_by_code": {m.code: m for m in data.measures},
        "at_risk": at_risk(data.measures),
        "annex": _by_field(data),
        "overdue": overdue,
        "upcoming": upcoming,
        "ozg_rows": [OzgRow(service=s, state=_ozg_state(s, data.as_of)) for s in data.ozg_services],
        "over_budget": [
            m
            for m in data.measures
            if m.budget_planned is not None
            and m.budget_spent is not None
            and m.budget_spent > m.budget_planned
        ],
        "status_chart": status_chart(data.figures.fields, words["no_field"]),
        "progress_chart": progress_chart(data.figures.fields, words["no_field"]),
        "status_colours": {s.value: c for s, c in STATUS_COLOURS.items()},
        "health_colours": HEALTH_COLOURS,
        "translate_reason": reason_translator(language),
        "statuses": list(MeasureStatus),
        "indicator_fields": _indicator_fields(data),
    }


def render_html(data: ReportData, *, language: Language, zone: ZoneInfo) -> str:
    """The report as one self-contained HTML document (styles and charts inline); instants
    are shown in this time zone."""
    return render("reports/report.html", **_context(data, language, zone))


def html_to_pdf(html: str) -> bytes:
    """The HTML of a report laid out as a tagged PDF/A document."""
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)  # type: ignore[no-any-return]


def render_pdf(data: ReportData, *, language: Language, zone: ZoneInfo) -> bytes:
    """The report as a tagged PDF/A document."""
    return html_to_pdf(render_html(data, language=language, zone=zone))
