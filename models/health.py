"""Derived health: what the dates say about a measure, kept apart from what its owner reported.

The rule (also in the README):
- a measure that is done or cancelled is on track;
- each of these is a warning sign: an open milestone past its due date, an OZG service of the
  measure below its target maturity after its deadline, a forecast end after the planned end,
  the planned end passed while the measure is not done, no answer for the last two reporting
  periods in which the owner was asked;
- no sign: on track; one sign: at risk; two or more signs, or an overdue legal or OZG
  milestone or OZG service: off track;
- the effective health is the derived one, except that the owner's reported health stands
  when it is at least as grave as the derived one (owners may know of trouble the dates do not
  show), or when the owner gave a reason for it and has not since stopped answering (a reason
  given before two unanswered periods no longer speaks for the measure).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.enums import Health, MeasureStatus, MilestoneKind
from models.measure import Measure
from models.ozg import OzgService
from models.status import (
    ReportingPeriod,
    StatusReport,
    StatusRequest,
    StatusRequestItem,
    latest_reports,
)

LEGAL_KINDS = (MilestoneKind.LEGAL, MilestoneKind.OZG)
SEVERITY = {Health.ON_TRACK: 0, Health.AT_RISK: 1, Health.OFF_TRACK: 2}
UNANSWERED_SIGN = 2
CHUNK = 5000


class MilestoneFacts(BaseModel):
    """What the rule needs to know of one milestone."""

    title: str
    due_on: date
    kind: MilestoneKind
    done_on: date | None = None


class OzgServiceFacts(BaseModel):
    """What the rule needs to know of one OZG service the measure is responsible for."""

    ozg_id: str
    name: str
    due_on: date
    maturity_current: int
    maturity_target: int


class HealthFacts(BaseModel):
    """What the rule needs to know of one measure."""

    status: MeasureStatus
    ends_on: date | None = None
    forecast_end_on: date | None = None
    milestones: list[MilestoneFacts] = []
    ozg_services: list[OzgServiceFacts] = []
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
    behind = [
        service
        for service in facts.ozg_services
        if service.maturity_current < service.maturity_target and service.due_on < on
    ]
    reasons += [
        f"OZG service {service.ozg_id} {service.name} below target maturity "
        f"{service.maturity_target} since {service.due_on.isoformat()}"
        for service in behind
    ]
    legal_overdue = bool(behind) or any(m.kind in LEGAL_KINDS for m in overdue)
    if facts.forecast_end_on and facts.ends_on and facts.forecast_end_on > facts.ends_on:
        reasons.append(f"forecast end {facts.forecast_end_on.isoformat()} after planned end")
    if facts.ends_on and facts.ends_on < on and facts.status is not MeasureStatus.DONE:
        reasons.append(f"planned end {facts.ends_on.isoformat()} passed")
    if facts.unanswered_periods >= UNANSWERED_SIGN:
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
    return HealthAssessment(
        derived=derived,
        reasons=reasons,
        reported=facts.reported,
        effective=_effective(facts, derived),
    )


def _effective(facts: HealthFacts, derived: Health) -> Health:
    reported = facts.reported
    if reported is None:
        return derived
    graver_or_equal = SEVERITY[reported] >= SEVERITY[derived]
    reasoned = bool(facts.reported_reason.strip()) and facts.unanswered_periods < UNANSWERED_SIGN
    return reported if graver_or_equal or reasoned else derived


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


def _ozg_services_by_measure(
    *, session: Session, measure_ids: list[int]
) -> dict[int, list[OzgServiceFacts]]:
    """The OZG services each of these measures is responsible for."""
    query = (
        select(OzgService)
        .where(OzgService.measure_id.in_(measure_ids))
        .order_by(OzgService.measure_id, OzgService.ozg_id)
    )
    grouped: dict[int, list[OzgServiceFacts]] = {}
    for service in session.scalars(query):
        assert service.measure_id is not None
        grouped.setdefault(service.measure_id, []).append(
            OzgServiceFacts(
                ozg_id=service.ozg_id,
                name=service.name,
                due_on=service.due_on,
                maturity_current=service.maturity_current,
                maturity_target=service.maturity_target,
            )
        )
    return grouped


def health_facts(*, session: Session, measures: Sequence[Measure]) -> dict[int, HealthFacts]:
    """The facts of the health rule for these measures (milestones loaded with them)."""
    ids = [measure.id for measure in measures]
    streaks: dict[int, int] = {}
    reports: dict[int, StatusReport] = {}
    services: dict[int, list[OzgServiceFacts]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        streaks |= _unanswered_streaks(session=session, measure_ids=chunk)
        reports |= latest_reports(session=session, measure_ids=chunk)
        services |= _ozg_services_by_measure(session=session, measure_ids=chunk)
    return {
        measure.id: HealthFacts(
            status=measure.status,
            ends_on=measure.ends_on,
            forecast_end_on=measure.forecast_end_on,
            milestones=[
                MilestoneFacts(title=m.title, due_on=m.due_on, kind=m.kind, done_on=m.done_on)
                for m in measure.milestones
            ],
            ozg_services=services.get(measure.id, []),
            unanswered_periods=streaks.get(measure.id, 0),
            reported=measure.health,
            reported_reason=reports[measure.id].health_reason if measure.id in reports else "",
        )
        for measure in measures
    }


class MeasureHealth(BaseModel):
    """The health of one measure as lists and reports show it."""

    measure_id: int
    code: str
    title: str
    owner_id: int | None
    assessment: HealthAssessment


def measure_health(*, session: Session, municipality_id: int, on: date) -> list[MeasureHealth]:
    """Reported and derived health of every open measure of a municipality, by code."""
    query = (
        select(Measure)
        .where(
            Measure.municipality_id == municipality_id,
            Measure.status.in_([status for status in MeasureStatus if status.is_open]),
        )
        .options(selectinload(Measure.milestones))
        .order_by(Measure.code)
    )
    measures = list(session.scalars(query))
    facts = health_facts(session=session, measures=measures)
    return [
        MeasureHealth(
            measure_id=measure.id,
            code=measure.code,
            title=measure.title,
            owner_id=measure.owner_id,
            assessment=assess_health(facts[measure.id], on=on),
        )
        for measure in measures
    ]
