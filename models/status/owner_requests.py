"""Queries for answering status requests: an owner's request with its measures, and who answered."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.indicator import Indicator
from models.measure import Measure
from models.person import Person
from models.status.tables import (
    ReportingPeriod,
    StatusRequest,
    StatusRequestIndicator,
    StatusRequestItem,
)


def request_with_measures(*, session: Session, token_hash: str) -> StatusRequest | None:
    """The request behind this token hash, with its period, owner, measures and milestones, and
    its indicators with their targets and values."""
    indicators = selectinload(StatusRequest.indicator_items).selectinload(
        StatusRequestIndicator.indicator
    )
    query = (
        select(StatusRequest)
        .where(StatusRequest.token_hash == token_hash)
        .options(
            selectinload(StatusRequest.period),
            selectinload(StatusRequest.person),
            selectinload(StatusRequest.items)
            .selectinload(StatusRequestItem.measure)
            .selectinload(Measure.milestones),
            indicators.selectinload(Indicator.targets),
            indicators.selectinload(Indicator.values),
        )
    )
    return session.scalar(query)


def periods_of(*, session: Session, municipality_id: int) -> list[ReportingPeriod]:
    """The municipality's reporting periods, latest first."""
    query = (
        select(ReportingPeriod)
        .where(ReportingPeriod.municipality_id == municipality_id)
        .order_by(ReportingPeriod.starts_on.desc())
    )
    return list(session.scalars(query))


def requests_of_period(*, session: Session, period_id: int) -> list[StatusRequest]:
    """Everyone asked in a period, with their items, by owner name."""
    query = (
        select(StatusRequest)
        .join(Person, StatusRequest.person_id == Person.id)
        .where(StatusRequest.period_id == period_id)
        .options(
            selectinload(StatusRequest.person),
            selectinload(StatusRequest.items),
            selectinload(StatusRequest.indicator_items),
        )
        .order_by(Person.name, Person.id)
    )
    return list(session.scalars(query))
