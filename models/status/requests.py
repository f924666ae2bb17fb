"""Asking owners: opening a period, one request per owner, and who is due a reminder or escalation.

Reminder rule (also in docs/status-cycle.md): a request that was sent and is not fully answered
gets a reminder on each reminder day after the day it was sent, on working days only; a reminder
day missed (no run that day) is caught up on the next working day, once. On the first working
day after the last reminder day, an owner who was reminded and still has not answered is
escalated once. Nothing is sent after the period closed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.orm import Load, Session, selectinload

from models.calendar import is_working_day, local_day, next_working_day, start_of_day
from models.errors import UnsentRequestError
from models.indicator import Indicator, indicators_by_owner
from models.measure import Measure, open_measures_by_owner
from models.person import Person
from models.status.answers import new_token
from models.status.tables import (
    ReportingPeriod,
    StatusRequest,
    StatusRequestIndicator,
    StatusRequestItem,
    period_bounds,
)


class PeriodTerms(BaseModel):
    """How a newly opened period's dates follow from the day it is opened."""

    due_days: int
    grace_days: int
    federal_state: str
    zone: str


def open_period(
    *, session: Session, municipality_id: int, code: str, on: date, terms: PeriodTerms
) -> ReportingPeriod:
    """The municipality's period with this code; opened with its due date when missing."""
    found = session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.municipality_id == municipality_id, ReportingPeriod.code == code
        )
    )
    if found is not None:
        return found
    starts_on, ends_on = period_bounds(code)
    due_on = next_working_day(on + timedelta(days=terms.due_days), state=terms.federal_state)
    period = ReportingPeriod(
        municipality_id=municipality_id,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        due_on=due_on,
        closes_on=due_on + timedelta(days=terms.grace_days),
        opened_at=start_of_day(on, ZoneInfo(terms.zone)),
    )
    session.add(period)
    session.flush()
    return period


def link_expiry(period: ReportingPeriod, zone: ZoneInfo) -> datetime:
    """Links stop working at the end of the day the period closes (local time)."""
    return start_of_day(period.closes_on + timedelta(days=1), zone)


def create_missing_requests(
    *, session: Session, period: ReportingPeriod, at: datetime, zone: ZoneInfo
) -> int:
    """One request per owner of open measures or of indicators; unsent ones get measures and
    indicators added since.

    The hash stored here belongs to a token nobody ever sees: every request gets a fresh
    token when its message is rendered, so a crash between creating and sending loses nothing.
    """
    town = period.municipality_id
    owned = open_measures_by_owner(session=session, municipality_id=town)
    indicators = indicators_by_owner(session=session, municipality_id=town)
    existing = {
        request.person_id: request
        for request in session.scalars(
            select(StatusRequest)
            .where(StatusRequest.period_id == period.id)
            .options(selectinload(StatusRequest.items), selectinload(StatusRequest.indicator_items))
        )
    }
    created = 0
    for person_id in sorted(set(owned) | set(indicators)):
        request = existing.get(person_id)
        if request is None:
            request = StatusRequest(
                period_id=period.id,
                person_id=person_id,
                token_hash=new_token()[1],
                expires_at=link_expiry(period, zone),
                created_at=at,
            )
            session.add(request)
            created += 1
        if request.sent_at is None:
            _add_items(request, owned.get(person_id, []), indicators.get(person_id, []))
    session.flush()
    return created


def _add_items(
    request: StatusRequest, measures: list[Measure], indicators: list[Indicator]
) -> None:
    """Ask about these measures and indicators too, where the request does not yet."""
    asked = {item.measure_id for item in request.items}
    request.items.extend(StatusRequestItem(measure_id=m.id) for m in measures if m.id not in asked)
    counted = {item.indicator_id for item in request.indicator_items}
    request.indicator_items.extend(
        StatusRequestIndicator(indicator_id=i.id) for i in indicators if i.id not in counted
    )


def unsent_requests(*, session: Session, period_id: int) -> list[StatusRequest]:
    """The period's requests whose message has not gone out yet, with owners and measures."""
    query = (
        select(StatusRequest)
        .where(StatusRequest.period_id == period_id, StatusRequest.sent_at.is_(None))
        .options(
            selectinload(StatusRequest.person),
            selectinload(StatusRequest.items).selectinload(StatusRequestItem.measure),
            *_indicators_loaded(),
        )
        .order_by(StatusRequest.id)
    )
    return list(session.scalars(query))


def _indicators_loaded() -> list[Load]:
    """The indicators a request asks about, with what a message shows beside them."""
    indicator = (
        Load(StatusRequest)
        .selectinload(StatusRequest.indicator_items)
        .selectinload(StatusRequestIndicator.indicator)
    )
    return [
        indicator.selectinload(Indicator.targets),
        indicator.selectinload(Indicator.values),
    ]


def sent_request_count(*, session: Session, period_id: int) -> int:
    """How many of the period's requests have gone out."""
    query = select(func.count(StatusRequest.id)).where(
        StatusRequest.period_id == period_id, StatusRequest.sent_at.is_not(None)
    )
    return session.scalar(query) or 0


def open_requests(*, session: Session, municipality_id: int, on: date) -> list[StatusRequest]:
    """Sent, not fully answered requests of periods still open on this day."""
    query = (
        select(StatusRequest)
        .join(ReportingPeriod)
        .where(
            ReportingPeriod.municipality_id == municipality_id,
            ReportingPeriod.closes_on >= on,
            StatusRequest.sent_at.is_not(None),
            StatusRequest.answered_at.is_(None),
        )
        .options(
            selectinload(StatusRequest.period),
            selectinload(StatusRequest.person).selectinload(Person.deputy),
            selectinload(StatusRequest.items).selectinload(StatusRequestItem.measure),
            *_indicators_loaded(),
        )
        .order_by(ReportingPeriod.starts_on, StatusRequest.id)
    )
    return list(session.scalars(query))


def issue_token(request: StatusRequest) -> str:
    """A fresh link token for this request; the previous link stops working."""
    token, digest = new_token()
    request.token_hash = digest
    return token


def mark_sent(*, session: Session, request_ids: list[int], at: datetime) -> None:
    """Record that these requests' messages went out."""
    if request_ids:
        session.execute(
            update(StatusRequest)
            .where(StatusRequest.id.in_(request_ids), StatusRequest.sent_at.is_(None))
            .values(sent_at=at)
        )


class Chase(BaseModel):
    """Where one request stands against the reminder days on one day."""

    remind: bool
    stage: int
    escalate: bool


def chase(
    *, request: StatusRequest, reminder_days: list[date], on: date, zone: ZoneInfo, state: str
) -> Chase:
    """Whether this request is due a reminder or its escalation on this day (see module doc)."""
    if request.sent_at is None:
        raise UnsentRequestError(f"status request {request.id} is chased but was never sent")
    sent_on = local_day(request.sent_at, zone)
    own_days = [day for day in reminder_days if sent_on < day]
    stage = len([day for day in own_days if day <= on])
    working = is_working_day(on, state=state)
    reminded_today = (
        request.last_reminded_at is not None and local_day(request.last_reminded_at, zone) >= on
    )
    remind = working and stage > request.reminder_count
    escalate = (
        working
        and not remind
        and bool(own_days)
        and on > own_days[-1]
        and request.reminder_count >= len(own_days)
        and request.escalated_at is None
        and not reminded_today
    )
    return Chase(remind=remind, stage=stage, escalate=escalate)


def mark_reminded(*, session: Session, stages: dict[int, int], at: datetime) -> None:
    """Record the reminders that went out: request id → how many reminder days are done."""
    for request_id, stage in stages.items():
        session.execute(
            update(StatusRequest)
            .where(StatusRequest.id == request_id)
            .values(reminder_count=stage, last_reminded_at=at)
        )


def mark_escalated(*, session: Session, request_ids: list[int], at: datetime) -> None:
    """Record that these requests were escalated."""
    if request_ids:
        session.execute(
            update(StatusRequest)
            .where(StatusRequest.id.in_(request_ids), StatusRequest.escalated_at.is_(None))
            .values(escalated_at=at)
        )


def latest_request(*, session: Session, person_id: int) -> StatusRequest | None:
    """The person's most recent status request (latest period, then latest created)."""
    query = (
        select(StatusRequest)
        .join(ReportingPeriod)
        .where(StatusRequest.person_id == person_id)
        .order_by(ReportingPeriod.starts_on.desc(), StatusRequest.id.desc())
        .options(selectinload(StatusRequest.period), selectinload(StatusRequest.person))
        .limit(1)
    )
    return session.scalar(query)


def people_with_live_links(*, session: Session, municipality_id: int) -> set[int]:
    """The people whose calendar feed answers: asked at least once and still owning an open
    measure or an indicator, so they will be asked again. Between periods the feed keeps
    working, because a calendar client may drop a subscription that answers "gone" for a few
    weeks."""
    asked = (
        select(StatusRequest.person_id)
        .join(ReportingPeriod)
        .where(ReportingPeriod.municipality_id == municipality_id)
    )
    owning = set(open_measures_by_owner(session=session, municipality_id=municipality_id))
    owning |= set(indicators_by_owner(session=session, municipality_id=municipality_id))
    return owning & set(session.scalars(asked))
