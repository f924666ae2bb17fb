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

from models.audit import record_creation
from models.calendar import is_working_day, local_day, next_working_day, start_of_day
from models.db import insert_or_ignore
from models.errors import MissingRecordError, UnsentRequestError
from models.indicator import Indicator, indicators_by_owner
from models.measure import open_measures_by_owner
from models.person import Person
from models.status.links import link_hash
from models.status.tables import (
    ReportingPeriod,
    StatusRequest,
    StatusRequestIndicator,
    StatusRequestItem,
    period_bounds,
    period_by_code,
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
    """The municipality's period with this code; opened with its due date when missing.

    Two runs opening the same period at once both get the one row the first one wrote.
    """
    found = period_by_code(session=session, municipality_id=municipality_id, code=code)
    if found is not None:
        return found
    starts_on, ends_on = period_bounds(code)
    due_on = next_working_day(on + timedelta(days=terms.due_days), state=terms.federal_state)
    values = {
        "municipality_id": municipality_id,
        "code": code,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "due_on": due_on,
        "closes_on": due_on + timedelta(days=terms.grace_days),
        "opened_at": start_of_day(on, ZoneInfo(terms.zone)),
    }
    statement = insert_or_ignore(session, ReportingPeriod, unique=["municipality_id", "code"])
    created = session.scalar(statement.values(values).returning(ReportingPeriod.id))
    period = period_by_code(session=session, municipality_id=municipality_id, code=code)
    if period is None:
        raise MissingRecordError(f"period {code} neither found nor created")
    if created is not None:
        record_creation(session, period)
    return period


def link_expiry(period: ReportingPeriod, zone: ZoneInfo) -> datetime:
    """Links stop working at the end of the day the period closes (local time)."""
    return start_of_day(period.closes_on + timedelta(days=1), zone)


def create_missing_requests(
    *, session: Session, period: ReportingPeriod, at: datetime, zone: ZoneInfo, secret: bytes
) -> int:
    """One request per owner of open measures or of indicators; unsent ones get measures and
    indicators added since.

    Inserts that skip what exists, so concurrent runs create each request and item once; rows
    in one order, so that they do not wait on each other crosswise. The stored hash is that of
    the request's first link (`models.status.links`); how many requests are new.
    """
    town = period.municipality_id
    owned = open_measures_by_owner(session=session, municipality_id=town)
    indicators = indicators_by_owner(session=session, municipality_id=town)
    owners = sorted(set(owned) | set(indicators))
    expires_at = link_expiry(period, zone)
    rows = [
        {
            "period_id": period.id,
            "person_id": person_id,
            "token_hash": link_hash(secret, period_id=period.id, person_id=person_id, generation=1),
            "link_generation": 1,
            "expires_at": expires_at,
            "created_at": at,
        }
        for person_id in owners
    ]
    created = 0
    if rows:
        statement = insert_or_ignore(session, StatusRequest, unique=["period_id", "person_id"])
        created = len(session.execute(statement.returning(StatusRequest.id), rows).all())
    unsent_query = select(StatusRequest.person_id, StatusRequest.id).where(
        StatusRequest.period_id == period.id, StatusRequest.sent_at.is_(None)
    )
    unsent = dict(session.execute(unsent_query).tuples().all())
    items = [
        {"request_id": unsent[person_id], "measure_id": measure.id}
        for person_id in sorted(owned)
        if person_id in unsent
        for measure in owned[person_id]
    ]
    if items:
        unique = ["request_id", "measure_id"]
        session.execute(insert_or_ignore(session, StatusRequestItem, unique=unique), items)
    counted = [
        {"request_id": unsent[person_id], "indicator_id": indicator.id}
        for person_id in sorted(indicators)
        if person_id in unsent
        for indicator in indicators[person_id]
    ]
    if counted:
        unique = ["request_id", "indicator_id"]
        session.execute(insert_or_ignore(session, StatusRequestIndicator, unique=unique), counted)
    return created


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


def mark_sent(*, session: Session, request_ids: list[int], at: datetime) -> None:
    """Record that these requests' messages, with their current links, went out."""
    if request_ids:
        session.execute(
            update(StatusRequest)
            .where(StatusRequest.id.in_(request_ids), StatusRequest.sent_at.is_(None))
            .values(sent_at=at, link_sent_at=at)
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
            .values(reminder_count=stage, last_reminded_at=at, link_sent_at=at)
        )


def mark_escalated(*, session: Session, request_ids: list[int], at: datetime) -> set[int]:
    """Record that these requests were escalated; the ids not marked before."""
    if not request_ids:
        return set()
    statement = (
        update(StatusRequest)
        .where(StatusRequest.id.in_(request_ids), StatusRequest.escalated_at.is_(None))
        .values(escalated_at=at)
        .returning(StatusRequest.id)
        .execution_options(synchronize_session=False)
    )
    return set(session.scalars(statement))


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
