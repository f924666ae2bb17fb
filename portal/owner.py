"""The owner's request as the portal shows it, and recording the owner's answers.

Templates and the API see only the pydantic views of this module, never sessions or rows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.enums import AnswerSource, Health, MeasureStatus
from models.measure import Measure
from models.settings import Language
from models.status.answers import StatusAnswer, record_answer
from models.status.tables import StatusReport, StatusRequest, latest_reports


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


def request_view(*, session: Session, status_request: StatusRequest) -> RequestView:
    """The view of a request loaded with its measures (see `models.status.owner_requests`)."""
    measures = sorted((item.measure for item in status_request.items), key=lambda m: m.code)
    reports = latest_reports(session=session, measure_ids=[m.id for m in measures])
    period = status_request.period
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
