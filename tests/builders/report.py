"""Builders of the frozen report objects, for tests of the report's pure parts: no database.

`report_data` puts measures together as the snapshot does: changes against a previous report
and the key figures are computed by the report's own functions, everything else is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from models.enums import Health, MaturityModel, MeasureStatus, MilestoneKind
from models.health import HealthAssessment
from models.status.tables import period_bounds
from reports.changes import compare
from reports.data import Answer, CommitteeEntry, MeasureEntry, MilestoneEntry, OzgEntry, ReportData
from reports.figures import summarize

AS_OF = date(2026, 10, 1)


def health(
    effective: Health = Health.ON_TRACK,
    *,
    derived: Health | None = None,
    reported: Health | None = None,
    reasons: Sequence[str] = (),
) -> HealthAssessment:
    """A health assessment; the derived health is the effective one unless told otherwise."""
    return HealthAssessment(
        derived=derived or effective, reasons=list(reasons), reported=reported, effective=effective
    )


def answer(**fields: Any) -> Answer:
    """The owner's last answer: in progress at 50 %, given on 01.09.2026."""
    values: dict[str, Any] = {
        "reported_at": datetime(2026, 9, 1, 8, 0, tzinfo=UTC),
        "status": MeasureStatus.IN_PROGRESS,
        "progress": 50,
    }
    return Answer(**(values | fields))


def milestone(title: str, due_on: date, **fields: Any) -> MilestoneEntry:
    """An internal milestone, open unless `done_on` is given."""
    return MilestoneEntry(
        **({"title": title, "due_on": due_on, "kind": MilestoneKind.INTERNAL} | fields)
    )


def measure(code: str = "V-01", **fields: Any) -> MeasureEntry:
    """A public measure of "Digitale Verwaltung", in progress at 0 %, on track."""
    values: dict[str, Any] = {
        "code": code,
        "title": f"Maßnahme {code}",
        "field_of_action": "Digitale Verwaltung",
        "status": MeasureStatus.IN_PROGRESS,
        "progress": 0,
        "health": health(),
    }
    return MeasureEntry(**(values | fields))


def ozg_service(**fields: Any) -> OzgEntry:
    """OZG service 10218 Wohngeld at level 2 of model v1.1, target 3."""
    values: dict[str, Any] = {
        "ozg_id": "10218",
        "name": "Wohngeld",
        "maturity_model": MaturityModel.V1_1,
        "maturity_current": 2,
        "maturity_target": 3,
    }
    return OzgEntry(**(values | fields))


def report_data(
    measures: Sequence[MeasureEntry],
    *,
    fields: Sequence[str] | None = None,
    period_code: str = "2026-Q3",
    as_of: date = AS_OF,
    previous: ReportData | None = None,
    **parts: Any,
) -> ReportData:
    """Musterstadt's report of these measures; `fields` defaults to the fields they name, in
    the order they first appear; `parts` sets any other part (ozg_services, not_reported, …)."""
    starts_on, ends_on = period_bounds(period_code)
    names = list(fields) if fields is not None else _fields_named(measures)
    values: dict[str, Any] = {
        "municipality_slug": "default",
        "municipality_name": "Musterstadt",
        "committees": [
            CommitteeEntry(name="Ausschuss für Digitalisierung", next_meeting_on=date(2026, 10, 20))
        ],
        "period_code": period_code,
        "period_starts_on": starts_on,
        "period_ends_on": ends_on,
        "taken_at": datetime.combine(as_of, time(6, 0), tzinfo=UTC),
        "as_of": as_of,
        "fields_of_action": names,
        "measures": list(measures),
        "ozg_services": [],
        "not_reported": [],
        "changes": compare(measures, on=as_of, previous=previous),
        "figures": summarize(measures, fields=names, period=(starts_on, ends_on), on=as_of),
    }
    return ReportData(**(values | parts))


def _fields_named(measures: Sequence[MeasureEntry]) -> list[str]:
    return list(dict.fromkeys(m.field_of_action for m in measures if m.field_of_action))
