"""Queries for answering status requests: an owner's request with its measures, and who answered."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
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


def _with_measures(condition: ColumnElement[bool]) -> Select[tuple[StatusRequest]]:
    indicators = selectinload(StatusRequest.indicator_items).selectinload(
        StatusRequestIndicator.indicator
    )
    return (
        select(StatusRequest)
        .where(condition)
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


def request_with_measures(*, session: Session, token_hash: str) -> StatusRequest | None:
    """The request behind this token hash, with its period, owner, measures and milestones."""
    return session.scalar(_with_measures(StatusRequest.token_hash == token_hash))


def request_with_measures_by_id(*, session: Session, request_id: int) -> StatusRequest | None:
    """The same for a request known by its id (a link that was replaced, say)."""
    return session.scalar(_with_measures(StatusRequest.id == request_id))


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
