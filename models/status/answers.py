"""Recording an owner's answer: the one path for the web form, the API and the phone."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import AnswerSource, Health, MeasureStatus
from models.errors import UserError
from models.indicator import IndicatorValue, append_value
from models.measure import Measure, Milestone
from models.status.tables import (
    ReportingPeriod,
    StatusReport,
    StatusRequest,
    StatusRequestIndicator,
    StatusRequestItem,
)

TEXT_LIMIT = 4000
# PostgreSQL text cannot hold NUL (pydantic already refuses lone surrogates).
UNSTORABLE = re.compile("\x00")
# Days a strategy's answer can plausibly name: a forecast of 0001-01-01 or 9999-12-31 is a typo.
PLAUSIBLE_FROM, PLAUSIBLE_UNTIL = date(2000, 1, 1), date(2100, 12, 31)


def _not_a_truth_value(value: object) -> object:
    """JSON's true/false are no numbers, although Python counts them as 1 and 0."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


def _day_as_text(value: object) -> object:
    """A day is given as text (YYYY-MM-DD) or as a date, never as a number of seconds."""
    if isinstance(value, bool | int | float):
        raise ValueError("must be a date written as YYYY-MM-DD")
    return value


def _plausible(day: date) -> date:
    if not PLAUSIBLE_FROM <= day <= PLAUSIBLE_UNTIL:
        raise ValueError(
            f"must lie between {PLAUSIBLE_FROM.isoformat()} and {PLAUSIBLE_UNTIL.isoformat()}"
        )
    return day


Number = Annotated[int, BeforeValidator(_not_a_truth_value)]
Day = Annotated[date, BeforeValidator(_day_as_text), AfterValidator(_plausible)]


def new_token() -> tuple[str, str]:
    """A fresh 256-bit link token and its SHA-256; only the hash is ever stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The SHA-256 of a token, as stored in StatusRequest.token_hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class StatusAnswer(BaseModel):
    """What an owner reports about one measure."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    status: MeasureStatus
    health: Health | None = None
    health_reason: str = Field(default="", max_length=TEXT_LIMIT)
    progress: Number = Field(ge=0, le=100)
    achieved: str = Field(default="", max_length=TEXT_LIMIT)
    next_steps: str = Field(default="", max_length=TEXT_LIMIT)
    risks: str = Field(default="", max_length=TEXT_LIMIT)
    decisions_needed: str = Field(default="", max_length=TEXT_LIMIT)
    forecast_end_on: Day | None = None
    budget_spent: Decimal | None = Field(
        default=None, ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False
    )
    # Milestone id → the day it was reached.
    milestones_reached: dict[Number, Day] = Field(default_factory=dict)

    @field_validator("health_reason", "achieved", "next_steps", "risks", "decisions_needed")
    @classmethod
    def _storable(cls, value: str) -> str:
        if UNSTORABLE.search(value):
            raise ValueError("contains a NUL character, which cannot be stored")
        return value


def _latest_item(*, session: Session, measure_id: int) -> StatusRequestItem | None:
    """The item of the most recent period that asked about this measure."""
    query = (
        select(StatusRequestItem)
        .join(StatusRequest)
        .join(ReportingPeriod)
        .where(StatusRequestItem.measure_id == measure_id)
        .order_by(ReportingPeriod.starts_on.desc())
        .limit(1)
    )
    return session.scalar(query)


def _close_request_item(item: StatusRequestItem, at: datetime) -> None:
    if item.answered_at is None:
        item.answered_at = at
    request = item.request
    if request.answered_at is None and request.fully_answered:
        request.answered_at = at


def _mark_milestones(*, session: Session, measure: Measure, reached: dict[int, date]) -> None:
    own = {milestone.id: milestone for milestone in measure.milestones}
    foreign = sorted(set(reached) - set(own))
    if foreign:
        raise UserError(f"milestone(s) {foreign} do not belong to measure {measure.code}")
    for milestone_id, done_on in reached.items():
        milestone: Milestone = own[milestone_id]
        milestone.done_on = done_on


def _apply_to_measure(measure: Measure, answer: StatusAnswer) -> None:
    measure.status = answer.status
    measure.progress = answer.progress
    measure.health = answer.health
    measure.forecast_end_on = answer.forecast_end_on or measure.forecast_end_on
    if answer.budget_spent is not None:
        measure.budget_spent = answer.budget_spent


def record_answer(
    *,
    session: Session,
    measure: Measure,
    answer: StatusAnswer,
    source: AnswerSource,
    reported_by: str,
    at: datetime | None = None,
) -> StatusReport:
    """Append the answer to the history, update the measure, and close the owner's request item."""
    at = at or utcnow()
    _mark_milestones(session=session, measure=measure, reached=answer.milestones_reached)
    item = _latest_item(session=session, measure_id=measure.id)
    report = StatusReport(
        measure_id=measure.id,
        period_id=item.request.period_id if item else None,
        source=source,
        reported_by=reported_by,
        reported_at=at,
        **answer.model_dump(exclude={"milestones_reached"}),
        milestones_reached=[
            {"milestone_id": key, "done_on": day.isoformat()}
            for key, day in sorted(answer.milestones_reached.items())
        ],
    )
    session.add(report)
    _apply_to_measure(measure, answer)
    if item is not None:
        _close_request_item(item, at)
    session.flush()
    return report


def reported_source(name: str) -> str:
    """The source an owner's value is recorded with."""
    return f"Meldung {name}"


def record_indicator_value(
    *,
    session: Session,
    item: StatusRequestIndicator,
    value: Decimal,
    measured_on: date,
    at: datetime | None = None,
) -> IndicatorValue:
    """Append the value the owner reported to the indicator's history and close the item."""
    at = at or utcnow()
    owner = item.request.person
    recorded = append_value(
        session=session,
        indicator=item.indicator,
        measured_on=measured_on,
        value=value,
        source=reported_source(owner.name),
        recorded_by=owner.email,
        at=at,
    )
    if item.answered_at is None:
        item.answered_at = at
    request = item.request
    if request.answered_at is None and request.fully_answered:
        request.answered_at = at
    session.flush()
    return recorded
