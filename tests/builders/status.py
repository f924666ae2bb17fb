"""Builders of the status cycle: reporting periods, status requests, answers, an asked owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from models import (
    Measure,
    Municipality,
    Person,
    ReportingPeriod,
    StatusReport,
    StatusRequest,
    StatusRequestItem,
)
from models.enums import AnswerSource, MeasureStatus
from models.municipality import ensure_municipality
from models.status.answers import StatusAnswer, hash_token, new_token, record_answer
from models.status.tables import period_bounds, period_by_code
from tests.builders import catalogue


def period(
    session: Session,
    town: Municipality,
    code: str = "2026-Q3",
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    due_on: date | None = None,
    closes_on: date | None = None,
) -> ReportingPeriod:
    """A reporting period; by default the quarter of its code, answers due 15 days before its
    end and accepted until 15 days after it."""
    first, last = period_bounds(code)
    starts_on, ends_on = starts_on or first, ends_on or last
    created = ReportingPeriod(
        municipality_id=town.id,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        due_on=due_on or ends_on - timedelta(days=15),
        closes_on=closes_on or ends_on + timedelta(days=15),
    )
    session.add(created)
    session.flush()
    return created


def status_request(
    session: Session,
    period: ReportingPeriod,
    owner: Person,
    *,
    measures: Sequence[Measure] = (),
    token: str | None = None,
    expires_at: datetime | None = None,
    answered_at: datetime | None = None,
    **fields: object,
) -> StatusRequest:
    """The owner asked in the period about these measures (each item answered at
    `answered_at`, if given); the link expires when the period closes unless told otherwise."""
    created = StatusRequest(
        period_id=period.id,
        person_id=owner.id,
        token_hash=hash_token(token) if token else new_token()[1],
        expires_at=expires_at or datetime.combine(period.closes_on, time(), tzinfo=UTC),
        items=[StatusRequestItem(measure_id=m.id, answered_at=answered_at) for m in measures],
        **fields,
    )
    session.add(created)
    session.flush()
    return created


def answer(
    session: Session,
    measure: Measure,
    given: StatusAnswer,
    *,
    at: datetime | None = None,
    source: AnswerSource = AnswerSource.PORTAL,
    reported_by: str = "owner",
) -> StatusReport:
    """The owner's answer, recorded as the form records it."""
    return record_answer(
        session=session,
        measure=measure,
        answer=given,
        source=source,
        reported_by=reported_by,
        at=at,
    )


def status_report(session: Session, measure: Measure, **fields: object) -> StatusReport:
    """A row of the answer history written directly, without the form's rules."""
    values: dict[str, object] = {
        "status": MeasureStatus.IN_PROGRESS,
        "progress": 10,
        "source": AnswerSource.PORTAL,
        "reported_by": "owner@example.org",
    }
    values.update(fields)
    created = StatusReport(measure_id=measure.id, **values)
    session.add(created)
    session.flush()
    return created


OWNER_EMAIL = "otto.owner@musterstadt.example"


@dataclass(frozen=True)
class Asked:
    """An owner's open request: its link token and the ids the tests need."""

    token: str
    request_id: int
    measure_ids: list[int]
    milestone_id: int
    foreign_measure_id: int
    owner_email: str

    @property
    def path(self) -> str:
        return f"/s/{self.token}"

    @property
    def api_path(self) -> str:
        return f"/api/v1/status/{self.token}"


def ask(
    session: Session,
    *,
    language: str = "de",
    period_code: str = "2026-Q4",
    closes_on: date | None = None,
    expires_at: datetime | None = None,
    email: str = OWNER_EMAIL,
    days_earlier: int = 0,
) -> Asked:
    """An owner asked about two measures (the first with a milestone), plus someone else's.

    A second call with the same period code asks another owner in the same period;
    `days_earlier` moves the period back (the link stays open).
    """
    today = datetime.now(UTC).date() - timedelta(days=days_earlier)
    town = ensure_municipality(session=session, slug="default", name="Musterstadt")
    owner = catalogue.person(session, town, name="Otto Owner", email=email, language=language)
    other = catalogue.person(session, town, name="Olga Other")
    measures = [catalogue.measure(session, town, owner_id=owner.id) for _ in range(2)]
    milestone = catalogue.milestone(session, measures[0], today + timedelta(days=20))
    foreign = catalogue.measure(session, town, owner_id=other.id)
    found = period_by_code(session=session, municipality_id=town.id, code=period_code)
    asked_in = found or period(
        session,
        town,
        period_code,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=5),
        due_on=today + timedelta(days=14),
        closes_on=closes_on or today + timedelta(days=30 + days_earlier),
    )
    token = new_token()[0]
    request = status_request(
        session,
        asked_in,
        owner,
        measures=measures,
        token=token,
        expires_at=expires_at or datetime.now(UTC) + timedelta(days=30),
    )
    return Asked(
        token=token,
        request_id=request.id,
        measure_ids=[m.id for m in measures],
        milestone_id=milestone.id,
        foreign_measure_id=foreign.id,
        owner_email=email,
    )
