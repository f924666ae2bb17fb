"""Deadlines of the roadmap: open milestones, planned ends of open measures, OZG services.

When an owner hears of a deadline (also in the README): on the days it enters a horizon, that
is when it is due in exactly one of the configured numbers of days (30, 14, 7, 1), then on the
first day it is overdue, and after that every Monday while it stays overdue. A deadline is
overdue from the day after its due date. Everything in between stays quiet, so an owner does
not read the same milestone every day.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Date, Row, Select, bindparam, func, literal, select
from sqlalchemy.orm import Session

from models.enums import MaturityModel, MeasureStatus, MilestoneKind
from models.legal import OZG_DEADLINE_ON, maturity_level
from models.measure import Measure, Milestone
from models.ozg import OzgService
from models.person import Person

OPEN_STATUSES = [status for status in MeasureStatus if status.is_open]
MEASURE, MILESTONE = Measure.__table__, Milestone.__table__
OZG_SERVICE, PERSON = OzgService.__table__, Person.__table__
MONDAY = 0
_Row = tuple[Any, ...]


class DeadlineKind(enum.StrEnum):
    """What kind of date a deadline is; the value starts its calendar UID."""

    MILESTONE = "milestone"
    MEASURE_END = "measure-end"
    OZG_SERVICE = "ozg-service"


class Notice(enum.StrEnum):
    """Why an owner hears of a deadline today."""

    UPCOMING = "upcoming"
    OVERDUE = "overdue"


class Deadline(BaseModel):
    """One dated duty of an owner, flat and ready to show, send or put in a calendar."""

    model_config = ConfigDict(frozen=True)

    kind: DeadlineKind
    source_id: int
    municipality_id: int
    due_on: date
    title: str
    measure_id: int | None = None
    measure_code: str | None = None
    measure_title: str | None = None
    milestone_kind: MilestoneKind | None = None
    forecast_end_on: date | None = None
    ozg_id: str | None = None
    maturity_model: MaturityModel | None = None
    maturity_current: int | None = None
    maturity_target: int | None = None
    owner_id: int | None = None
    owner_name: str | None = None

    def days_left(self, on: date) -> int:
        """Days until the due date; negative once it has passed."""
        return (self.due_on - on).days

    def is_overdue(self, on: date) -> bool:
        """Whether the due date has passed without the deadline being met."""
        return self.due_on < on

    def uid(self, municipality_slug: str) -> str:
        """A calendar UID that stays the same for as long as the row exists."""
        return f"{self.kind.value}-{self.source_id}@{municipality_slug}.digitalfahrplan"

    @property
    def is_legal(self) -> bool:
        """Whether the date is set by law (legal or OZG milestones, OZG services)."""
        return self.kind is DeadlineKind.OZG_SERVICE or self.milestone_kind in (
            MilestoneKind.LEGAL,
            MilestoneKind.OZG,
        )


def notice(deadline: Deadline, *, on: date, horizons: Sequence[int]) -> Notice | None:
    """Whether the owner hears of this deadline on this day, and why (module docstring)."""
    days = deadline.days_left(on)
    if days >= 0:
        return Notice.UPCOMING if days in horizons else None
    return Notice.OVERDUE if days == -1 or on.weekday() == MONDAY else None


def _narrowed(query: Select[_Row], due_on: Any, *, until: bool, by_owner: bool) -> Select[_Row]:
    """The query with its optional conditions, each a bound parameter."""
    if until:
        query = query.where(due_on <= bindparam("until", type_=Date))
    if by_owner:
        query = query.where(MEASURE.c.owner_id == bindparam("owner_id"))
    return query


# The queries are built once per shape and reused, and on the tables rather than the mapped
# classes: building an ORM statement, computing its cache key and compiling it through the
# ORM cost more than running it for a town's few hundred rows (see benchmarks/, "deadline
# query"), and the daily check runs them for every municipality of a district or a state.
@cache
def _milestone_query(*, until: bool, by_owner: bool) -> Select[_Row]:
    query = (
        select(
            MILESTONE.c.id,
            MILESTONE.c.due_on,
            MILESTONE.c.title,
            MILESTONE.c.kind,
            MEASURE.c.id,
            MEASURE.c.code,
            MEASURE.c.title,
            MEASURE.c.owner_id,
            PERSON.c.name,
        )
        .join(MEASURE, MILESTONE.c.measure_id == MEASURE.c.id)
        .outerjoin(PERSON, MEASURE.c.owner_id == PERSON.c.id)
        .where(
            MEASURE.c.municipality_id == bindparam("municipality_id"),
            MEASURE.c.status.in_(OPEN_STATUSES),
            MILESTONE.c.done_on.is_(None),
        )
    )
    return _narrowed(query, MILESTONE.c.due_on, until=until, by_owner=by_owner)


@cache
def _measure_end_query(*, until: bool, by_owner: bool) -> Select[_Row]:
    # Typed as a plain date: the NULLs this would stand in for are filtered out below.
    ends_on = func.coalesce(MEASURE.c.ends_on, literal(date.max, Date))
    query = (
        select(
            MEASURE.c.id,
            ends_on,
            MEASURE.c.title,
            MEASURE.c.code,
            MEASURE.c.forecast_end_on,
            MEASURE.c.owner_id,
            PERSON.c.name,
        )
        .outerjoin(PERSON, MEASURE.c.owner_id == PERSON.c.id)
        .where(
            MEASURE.c.municipality_id == bindparam("municipality_id"),
            MEASURE.c.status.in_(OPEN_STATUSES),
            MEASURE.c.ends_on.is_not(None),
        )
    )
    return _narrowed(query, ends_on, until=until, by_owner=by_owner)


@cache
def _ozg_query(*, until: bool, by_owner: bool) -> Select[_Row]:
    due_on = func.coalesce(OZG_SERVICE.c.deadline_on, literal(OZG_DEADLINE_ON, Date))
    query = (
        select(
            OZG_SERVICE.c.id,
            due_on,
            OZG_SERVICE.c.name,
            OZG_SERVICE.c.ozg_id,
            OZG_SERVICE.c.maturity_model,
            OZG_SERVICE.c.maturity_current,
            OZG_SERVICE.c.maturity_target,
            MEASURE.c.id,
            MEASURE.c.code,
            MEASURE.c.title,
            MEASURE.c.owner_id,
            PERSON.c.name,
        )
        .outerjoin(MEASURE, OZG_SERVICE.c.measure_id == MEASURE.c.id)
        .outerjoin(PERSON, MEASURE.c.owner_id == PERSON.c.id)
        .where(
            OZG_SERVICE.c.municipality_id == bindparam("municipality_id"),
            OZG_SERVICE.c.maturity_current < OZG_SERVICE.c.maturity_target,
        )
    )
    return _narrowed(query, due_on, until=until, by_owner=by_owner)


def _rows(
    session: Session,
    query: Callable[..., Select[_Row]],
    municipality_id: int,
    until: date | None,
    owner_id: int | None,
) -> Iterable[Row[_Row]]:
    parameters: dict[str, Any] = {"municipality_id": municipality_id}
    if until is not None:
        parameters["until"] = until
    if owner_id is not None:
        parameters["owner_id"] = owner_id
    statement = query(until=until is not None, by_owner=owner_id is not None)
    return session.execute(statement, parameters)


def milestone_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """Open milestones of open measures due on or before `until` (all of them for None)."""
    return [
        Deadline(
            kind=DeadlineKind.MILESTONE,
            source_id=row[0],
            municipality_id=municipality_id,
            due_on=row[1],
            title=row[2],
            milestone_kind=row[3],
            measure_id=row[4],
            measure_code=row[5],
            measure_title=row[6],
            owner_id=row[7],
            owner_name=row[8],
        )
        for row in _rows(session, _milestone_query, municipality_id, until, owner_id)
    ]


def measure_end_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """Planned ends of open measures on or before `until` (all of them for None)."""
    return [
        Deadline(
            kind=DeadlineKind.MEASURE_END,
            source_id=row[0],
            municipality_id=municipality_id,
            due_on=row[1],
            title=row[2],
            measure_id=row[0],
            measure_code=row[3],
            measure_title=row[2],
            forecast_end_on=row[4],
            owner_id=row[5],
            owner_name=row[6],
        )
        for row in _rows(session, _measure_end_query, municipality_id, until, owner_id)
    ]


def ozg_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """OZG services below their target maturity whose deadline (the legal one unless agreed
    otherwise) is on or before `until` (all of them for None)."""
    return [
        Deadline(
            kind=DeadlineKind.OZG_SERVICE,
            source_id=row[0],
            municipality_id=municipality_id,
            due_on=row[1],
            title=row[2],
            ozg_id=row[3],
            maturity_model=row[4],
            maturity_current=row[5],
            maturity_target=row[6],
            measure_id=row[7],
            measure_code=row[8],
            measure_title=row[9],
            owner_id=row[10],
            owner_name=row[11],
        )
        for row in _rows(session, _ozg_query, municipality_id, until, owner_id)
    ]


def sort_key(deadline: Deadline) -> tuple[date, str, str, int]:
    """Deadlines read best by date, then measure, then kind."""
    return (deadline.due_on, deadline.measure_code or "", deadline.kind.value, deadline.source_id)


def open_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """Every open deadline due on or before `until` (all for None): one query per kind, by date."""
    found = [
        *milestone_deadlines(
            session=session, municipality_id=municipality_id, until=until, owner_id=owner_id
        ),
        *measure_end_deadlines(
            session=session, municipality_id=municipality_id, until=until, owner_id=owner_id
        ),
        *ozg_deadlines(
            session=session, municipality_id=municipality_id, until=until, owner_id=owner_id
        ),
    ]
    return sorted(found, key=sort_key)


def overdue_deadlines(*, session: Session, municipality_id: int, on: date) -> list[Deadline]:
    """Deadlines whose due date lies before this day and that are still open."""
    return open_deadlines(
        session=session, municipality_id=municipality_id, until=on - timedelta(days=1)
    )


def deadlines_within(
    *, session: Session, municipality_id: int, on: date, days: int
) -> list[Deadline]:
    """Overdue deadlines and those due within the next `days` days."""
    return open_deadlines(
        session=session, municipality_id=municipality_id, until=on + timedelta(days=days)
    )


def describe(deadline: Deadline, language: str) -> str:
    """What is due, in words: the milestone, the measure's planned end, or the OZG maturity."""
    german = language == "de"
    if deadline.kind is DeadlineKind.MILESTONE:
        return deadline.title
    if deadline.kind is DeadlineKind.MEASURE_END:
        return "Geplantes Ende der Maßnahme" if german else "Planned end of the measure"
    assert deadline.maturity_model is not None and deadline.maturity_target is not None
    level = maturity_level(deadline.maturity_model, deadline.maturity_target).name(language)
    if german:
        return (
            f"OZG-Leistung {deadline.ozg_id} {deadline.title}: Reifegrad "
            f"{deadline.maturity_target} „{level}“ (jetzt {deadline.maturity_current}, "
            f"Reifegradmodell {deadline.maturity_model.value.lstrip('v')})"
        )
    return (
        f"OZG service {deadline.ozg_id} {deadline.title}: maturity {deadline.maturity_target} "
        f"“{level}” (now {deadline.maturity_current}, "
        f"maturity model {deadline.maturity_model.value.lstrip('v')})"
    )
