"""Derived health: what the dates say about a measure, kept apart from what its owner reported.

The rule (also in docs/deadlines.md):
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
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import Health, MeasureStatus, MilestoneKind
from models.errors import required
from models.measure import Measure, Milestone
from models.ozg import OzgService
from models.status.tables import (
    ReportingPeriod,
    StatusReport,
    StatusRequest,
    StatusRequestItem,
)

LEGAL_KINDS = (MilestoneKind.LEGAL, MilestoneKind.OZG)
OPEN_STATUSES = [status for status in MeasureStatus if status.is_open]
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


def _unanswered_streaks(
    *, session: Session, measure_ids: list[int], up_to: datetime | None
) -> dict[int, int]:
    """For each measure, how many of the latest periods in a row asked and got no answer
    (periods opened and answers given before `up_to`, when given)."""
    query = (
        select(StatusRequestItem.measure_id, StatusRequestItem.answered_at)
        .join(StatusRequest)
        .join(ReportingPeriod)
        .where(StatusRequestItem.measure_id.in_(measure_ids))
        .order_by(StatusRequestItem.measure_id, ReportingPeriod.starts_on.desc())
    )
    if up_to is not None:
        query = query.where(ReportingPeriod.opened_at < up_to)
    streaks: dict[int, int] = {}
    broken: set[int] = set()
    for measure_id, answered_at in session.execute(query):
        if measure_id in broken:
            continue
        if answered_at is None or (up_to is not None and answered_at >= up_to):
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
        measure_id = required(service.measure_id, f"the measure of OZG service {service.ozg_id}")
        grouped.setdefault(measure_id, []).append(
            OzgServiceFacts(
                ozg_id=service.ozg_id,
                name=service.name,
                due_on=service.due_on,
                maturity_current=service.maturity_current,
                maturity_target=service.maturity_target,
            )
        )
    return grouped


def _latest_reasons(
    *, session: Session, measure_ids: list[int], up_to: datetime | None
) -> dict[int, str]:
    """The health reason of each measure's most recent answer (before `up_to`), if any."""
    query = (
        select(StatusReport.measure_id, StatusReport.health_reason)
        .where(StatusReport.measure_id.in_(measure_ids))
        .order_by(StatusReport.measure_id, StatusReport.reported_at, StatusReport.id)
    )
    if up_to is not None:
        query = query.where(StatusReport.reported_at < up_to)
    # Ordered oldest first, so each measure's latest answer is the one that stays.
    return dict(session.execute(query).tuples().all())


class _Surroundings(BaseModel):
    """What the rule needs beyond a measure's own row: answers, reasons, OZG services."""

    streaks: dict[int, int] = {}
    reasons: dict[int, str] = {}
    services: dict[int, list[OzgServiceFacts]] = {}


def _surroundings(
    *, session: Session, measure_ids: list[int], up_to: datetime | None
) -> _Surroundings:
    found = _Surroundings()
    for start in range(0, len(measure_ids), CHUNK):
        chunk = measure_ids[start : start + CHUNK]
        found.streaks |= _unanswered_streaks(session=session, measure_ids=chunk, up_to=up_to)
        found.reasons |= _latest_reasons(session=session, measure_ids=chunk, up_to=up_to)
        found.services |= _ozg_services_by_measure(session=session, measure_ids=chunk)
    return found


def health_facts(
    *, session: Session, measures: Sequence[Measure], up_to: datetime | None = None
) -> dict[int, HealthFacts]:
    """The facts of the health rule for these measures (milestones loaded with them); with
    `up_to`, the answers and periods after it do not count."""
    ids = [measure.id for measure in measures]
    around = _surroundings(session=session, measure_ids=ids, up_to=up_to)
    return {
        measure.id: HealthFacts(
            status=measure.status,
            ends_on=measure.ends_on,
            forecast_end_on=measure.forecast_end_on,
            milestones=[
                MilestoneFacts(title=m.title, due_on=m.due_on, kind=m.kind, done_on=m.done_on)
                for m in measure.milestones
            ],
            ozg_services=around.services.get(measure.id, []),
            unanswered_periods=around.streaks.get(measure.id, 0),
            reported=measure.health,
            reported_reason=around.reasons.get(measure.id, ""),
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


def _milestones_of_open_measures(
    *, session: Session, municipality_id: int
) -> dict[int, list[MilestoneFacts]]:
    query = (
        select(Milestone.measure_id, Milestone.title, Milestone.due_on, Milestone.kind)
        .join(Measure, Milestone.measure_id == Measure.id)
        .where(
            Measure.municipality_id == municipality_id,
            Measure.status.in_(OPEN_STATUSES),
            Milestone.done_on.is_(None),
        )
        .order_by(Milestone.measure_id, Milestone.due_on)
    )
    grouped: dict[int, list[MilestoneFacts]] = {}
    for measure_id, title, due_on, kind in session.execute(query):
        grouped.setdefault(measure_id, []).append(
            MilestoneFacts(title=title, due_on=due_on, kind=kind)
        )
    return grouped


def measure_health(*, session: Session, municipality_id: int, on: date) -> list[MeasureHealth]:
    """Reported and derived health of every open measure of a municipality, by code; a few
    queries whatever the number of measures (rows, not ORM objects, for the state scale)."""
    query = (
        select(
            Measure.id,
            Measure.code,
            Measure.title,
            Measure.owner_id,
            Measure.status,
            Measure.ends_on,
            Measure.forecast_end_on,
            Measure.health,
        )
        .where(Measure.municipality_id == municipality_id, Measure.status.in_(OPEN_STATUSES))
        .order_by(Measure.code)
    )
    rows = session.execute(query).all()
    milestones = _milestones_of_open_measures(session=session, municipality_id=municipality_id)
    around = _surroundings(session=session, measure_ids=[row.id for row in rows], up_to=None)
    return [
        MeasureHealth(
            measure_id=row.id,
            code=row.code,
            title=row.title,
            owner_id=row.owner_id,
            assessment=assess_health(
                HealthFacts(
                    status=row.status,
                    ends_on=row.ends_on,
                    forecast_end_on=row.forecast_end_on,
                    milestones=milestones.get(row.id, []),
                    ozg_services=around.services.get(row.id, []),
                    unanswered_periods=around.streaks.get(row.id, 0),
                    reported=row.health,
                    reported_reason=around.reasons.get(row.id, ""),
                ),
                on=on,
            ),
        )
        for row in rows
    ]
