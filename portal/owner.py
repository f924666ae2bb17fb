"""The owner's request as the portal shows it, and recording the owner's answers.

Templates and the API see only the pydantic views of this module, never sessions or rows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.enums import AnswerSource, Direction, Health, MeasureStatus
from models.indicator import facts_of
from models.indicator_judgement import Point, next_target
from models.measure import Measure
from models.settings import Language
from models.status.answers import StatusAnswer, record_answer, record_indicator_value
from models.status.tables import (
    StatusReport,
    StatusRequest,
    StatusRequestIndicator,
    latest_reports,
)


class MilestoneView(BaseModel):
    """A milestone of a measure, reached or not."""

    id: int
    title: str
    due_on: date
    done_on: date | None


class MeasureState(BaseModel):
    """The last reported state of a measure (or the catalogue's, before any answer)."""

    status: MeasureStatus
    health: Health | None
    health_reason: str = ""
    progress: int
    achieved: str = ""
    next_steps: str = ""
    risks: str = ""
    decisions_needed: str = ""
    forecast_end_on: date | None
    budget_spent: Decimal | None
    reported_at: datetime | None = None


class MeasureView(BaseModel):
    """One measure the owner is asked about."""

    id: int
    code: str
    title: str
    milestones: list[MilestoneView]
    last: MeasureState


class IndicatorView(BaseModel):
    """An indicator whose current value the owner is asked for."""

    id: int
    code: str
    name: str
    unit: str
    direction: Direction
    last: Point | None
    next_target: Point | None
    answered_at: datetime | None


class RequestView(BaseModel):
    """What the owner's link opens: the period and the measures asked about."""

    owner_name: str
    language: Language
    period_code: str
    due_on: date
    closes_on: date
    expires_at: datetime
    answered_at: datetime | None
    measures: list[MeasureView]
    indicators: list[IndicatorView] = []
    # The day a value typed now describes.
    values_as_of: date

    def measure(self, measure_id: int) -> MeasureView | None:
        """The measure with this id, if it is on this request."""
        return next((m for m in self.measures if m.id == measure_id), None)


class ReachedMilestone(BaseModel):
    """A milestone reported as reached."""

    title: str
    done_on: date


class RecordedAnswer(BaseModel):
    """What was recorded for one measure, to confirm it to the owner."""

    measure_id: int
    code: str
    title: str
    report_id: int
    reported_at: datetime
    answer: StatusAnswer
    milestones: list[ReachedMilestone]


class RecordedValue(BaseModel):
    """A value recorded for one indicator, to confirm it to the owner."""

    indicator_id: int
    code: str
    name: str
    unit: str
    value: Decimal
    measured_on: date
    recorded_at: datetime


class ForeignMeasureError(Exception):
    """A measure id that is not on the owner's request."""


def language_of(value: str) -> Language:
    """The owner's language; anything but English reads German."""
    return "en" if value == "en" else "de"


def _state(measure: Measure, report: StatusReport | None) -> MeasureState:
    if report is None:
        return MeasureState(
            status=measure.status,
            health=measure.health,
            progress=measure.progress,
            forecast_end_on=measure.forecast_end_on,
            budget_spent=measure.budget_spent,
        )
    return MeasureState.model_validate(report, from_attributes=True)


def _indicator_view(item: StatusRequestIndicator, on: date) -> IndicatorView:
    indicator = item.indicator
    facts = facts_of(indicator)
    return IndicatorView(
        id=indicator.id,
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        direction=indicator.direction,
        last=facts.latest,
        next_target=next_target(facts.targets, on),
        answered_at=item.answered_at,
    )


def measured_on(status_request: StatusRequest, today: date) -> date:
    """The day an owner's value describes: today, or the period's last day once it is over."""
    return min(today, status_request.period.ends_on)


def request_view(*, session: Session, status_request: StatusRequest, today: date) -> RequestView:
    """The view of a request loaded with its measures and indicators (see
    `models.status.owner_requests`); `today` is the local day, which the next target follows."""
    measures = sorted((item.measure for item in status_request.items), key=lambda m: m.code)
    reports = latest_reports(session=session, measure_ids=[m.id for m in measures])
    period = status_request.period
    on = measured_on(status_request, today)
    items = sorted(status_request.indicator_items, key=lambda item: item.indicator.code)
    return RequestView(
        owner_name=status_request.person.name,
        language=language_of(status_request.person.language),
        period_code=period.code,
        due_on=period.due_on,
        closes_on=period.closes_on,
        expires_at=status_request.expires_at,
        answered_at=status_request.answered_at,
        measures=[
            MeasureView(
                id=m.id,
                code=m.code,
                title=m.title,
                milestones=[
                    MilestoneView.model_validate(s, from_attributes=True) for s in m.milestones
                ],
                last=_state(m, reports.get(m.id)),
            )
            for m in measures
        ],
        indicators=[_indicator_view(item, on) for item in items],
        values_as_of=on,
    )


def record_answers(
    *,
    session: Session,
    status_request: StatusRequest,
    answers: dict[int, StatusAnswer],
    source: AnswerSource,
) -> list[RecordedAnswer]:
    """Record each answer through `record_answer`; every measure must be on this request."""
    own = {item.measure_id: item.measure for item in status_request.items}
    if set(answers) - set(own):
        raise ForeignMeasureError
    recorded = []
    for measure_id, answer in answers.items():
        measure = own[measure_id]
        report = record_answer(
            session=session,
            measure=measure,
            answer=answer,
            source=source,
            reported_by=status_request.person.email,
        )
        titles = {milestone.id: milestone.title for milestone in measure.milestones}
        recorded.append(
            RecordedAnswer(
                measure_id=measure_id,
                code=measure.code,
                title=measure.title,
                report_id=report.id,
                reported_at=report.reported_at,
                answer=answer,
                milestones=[
                    ReachedMilestone(title=titles[key], done_on=day)
                    for key, day in sorted(answer.milestones_reached.items())
                ],
            )
        )
    return recorded


def record_values(
    *, session: Session, status_request: StatusRequest, values: dict[int, Decimal], today: date
) -> list[RecordedValue]:
    """Append each value to its indicator's history; every indicator must be on this request."""
    own = {item.indicator_id: item for item in status_request.indicator_items}
    if set(values) - set(own):
        raise ForeignMeasureError
    day = measured_on(status_request, today)
    recorded = []
    for indicator_id, value in values.items():
        item = own[indicator_id]
        row = record_indicator_value(session=session, item=item, value=value, measured_on=day)
        recorded.append(
            RecordedValue(
                indicator_id=indicator_id,
                code=item.indicator.code,
                name=item.indicator.name,
                unit=item.indicator.unit,
                value=row.value,
                measured_on=row.measured_on,
                recorded_at=row.recorded_at,
            )
        )
    return recorded
