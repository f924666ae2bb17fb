"""Derived health: what the dates say about a measure, kept apart from what its owner reported.

The rule (also in the README):
- a measure that is done or cancelled is on track;
- each of these is a warning sign: an open milestone past its due date, a forecast end after
  the planned end, the planned end passed while the measure is not done, no answer for the
  last two reporting periods in which the owner was asked;
- no sign: on track; one sign: at risk; two or more signs, or an overdue legal or OZG
  milestone: off track;
- the owner's reported health stands instead only when the owner gave a reason for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import Health, MeasureStatus, MilestoneKind
from models.measure import Measure
from models.status import (
    ReportingPeriod,
    StatusReport,
    StatusRequest,
    StatusRequestItem,
    latest_reports,
)

LEGAL_KINDS = (MilestoneKind.LEGAL, MilestoneKind.OZG)


class MilestoneFacts(BaseModel):
    """What the rule needs to know of one milestone."""

    title: str
    due_on: date
    kind: MilestoneKind
    done_on: date | None = None


class HealthFacts(BaseModel):
    """What the rule needs to know of one measure."""

    status: MeasureStatus
    ends_on: date | None = None
    forecast_end_on: date | None = None
    milestones: list[MilestoneFacts] = []
    unanswered_periods: int = 0
    reported: Health | None = None
    reported_reason: str = ""


class HealthAssessment(BaseModel):
    """Derived health with its reasons, the reported one, and which of them counts."""

    derived: Health
    reasons: list[str]
    reported: Health | None
    effective: Health


def _warning_signs(facts: HealthFacts, on: date) -> tuple[list[str], bool]:
    overdue = [m for m in facts.milestones if m.done_on is None and m.due_on < on]
    reasons = [f"milestone overdue: {m.title} ({m.due_on.isoformat()})" for m in overdue]
    legal_overdue = any(m.kind in LEGAL_KINDS for m in overdue)
    if facts.forecast_end_on and facts.ends_on and facts.forecast_end_on > facts.ends_on:
        reasons.append(f"forecast end {facts.forecast_end_on.isoformat()} after planned end")
    if facts.ends_on and facts.ends_on < on and facts.status is not MeasureStatus.DONE:
        reasons.append(f"planned end {facts.ends_on.isoformat()} passed")
    if facts.unanswered_periods >= 2:
        reasons.append(f"no answer for {facts.unanswered_periods} periods")
    return reasons, legal_overdue


def assess_health(facts: HealthFacts, *, on: date) -> HealthAssessment:
    """Apply the health rule of this module's docstring on a given day."""
    if facts.status in (MeasureStatus.DONE, MeasureStatus.CANCELLED):
        reasons: list[str] = []
        derived = Health.ON_TRACK
    else:
        reasons, legal_overdue = _warning_signs(facts, on)
        if legal_overdue or len(reasons) >= 2:
            derived = Health.OFF_TRACK
        else:
            derived = Health.AT_RISK if reasons else Health.ON_TRACK
    reported_with_reason = facts.reported is not None and bool(facts.reported_reason.strip())
    effective = facts.reported if reported_with_reason and facts.reported else derived
    return HealthAssessment(
        derived=derived, reasons=reasons, reported=facts.reported, effective=effective
    )


def _unanswered_streaks(*, session: Session, measure_ids: list[int]) -> dict[int, int]:
    """For each measure, how many of the latest periods in a row asked and got no answer."""
    query = (
        select(StatusRequestItem.measure_id, StatusRequestItem.answered_at)
        .join(StatusRequest)
        .join(ReportingPeriod)
        .where(StatusRequestItem.measure_id.in_(measure_ids))
        .order_by(StatusRequestItem.measure_id, ReportingPeriod.starts_on.desc())
    )
    streaks: dict[int, int] = {}
    broken: set[int] = set()
    for measure_id, answered_at in session.execute(query):
        if measure_id in broken:
            continue
        if answered_at is None:
            streaks[measure_id] = streaks.get(measure_id, 0) + 1
        else:
            broken.add(measure_id)
    return streaks


def health_facts(*, session: Session, measures: Sequence[Measure]) -> dict[int, HealthFacts]:
    """The facts of the health rule for these measures (milestones loaded with them)."""
    ids = [measure.id for measure in measures]
    streaks: dict[int, int] = {}
    reports: dict[int, StatusReport] = {}
    for chunk in range(0, len(ids), 5000):
        streaks |= _unanswered_streaks(session=session, measure_ids=ids[chunk : chunk + 5000])
        reports |= latest_reports(session=session, measure_ids=ids[chunk : chunk + 5000])
    return {
        measure.id: HealthFacts(
            status=measure.status,
            ends_on=measure.ends_on,
            forecast_end_on=measure.forecast_end_on,
            milestones=[
                MilestoneFacts(title=m.title, due_on=m.due_on, kind=m.kind, done_on=m.done_on)
                for m in measure.milestones
            ],
            unanswered_periods=streaks.get(measure.id, 0),
            reported=measure.health,
            reported_reason=reports[measure.id].health_reason if measure.id in reports else "",
        )
        for measure in measures
    }
