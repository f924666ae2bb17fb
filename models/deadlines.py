"""Deadlines of the roadmap: open milestones, planned ends of open measures, OZG services.

When an owner hears of a deadline (also in the README): on the days it enters a horizon, that
is when it is due in exactly one of the configured numbers of days (30, 14, 7, 1), then on the
first day it is overdue, and after that every Monday while it stays overdue. A deadline is
overdue from the day after its due date. Everything in between stays quiet, so an owner does
not read the same milestone every day.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Date, Select, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.enums import MaturityModel, MeasureStatus, MilestoneKind
from models.legal import OZG_DEADLINE_ON, maturity_level
from models.measure import Measure, Milestone
from models.ozg import OzgService
from models.person import Person

OPEN_STATUSES = [status for status in MeasureStatus if status.is_open]
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


def _scoped(query: Select[_Row], owner_id: int | None) -> Select[_Row]:
    return query if owner_id is None else query.where(Measure.owner_id == owner_id)


def _until(
    column: ColumnElement[date] | InstrumentedAttribute[date], until: date | None
) -> list[ColumnElement[bool]]:
    return [] if until is None else [column <= until]


def milestone_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """Open milestones of open measures due on or before `until` (all of them for None)."""
    query = (
        select(
            Milestone.id,
            Milestone.due_on,
            Milestone.title,
            Milestone.kind,
            Measure.id,
            Measure.code,
            Measure.title,
            Measure.owner_id,
            Person.name,
        )
        .join(Measure, Milestone.measure_id == Measure.id)
        .outerjoin(Person, Measure.owner_id == Person.id)
        .where(
            Measure.municipality_id == municipality_id,
            Measure.status.in_(OPEN_STATUSES),
            Milestone.done_on.is_(None),
            *_until(Milestone.due_on, until),
        )
    )
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
        for row in session.execute(_scoped(query, owner_id))
    ]


def measure_end_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """Planned ends of open measures on or before `until` (all of them for None)."""
    # Typed as a plain date: the NULLs this would stand in for are filtered out below.
    ends_on = func.coalesce(Measure.ends_on, literal(date.max, Date))
    query = (
        select(
            Measure.id,
            ends_on,
            Measure.title,
            Measure.code,
            Measure.forecast_end_on,
            Measure.owner_id,
            Person.name,
        )
        .outerjoin(Person, Measure.owner_id == Person.id)
        .where(
            Measure.municipality_id == municipality_id,
            Measure.status.in_(OPEN_STATUSES),
            Measure.ends_on.is_not(None),
            *_until(ends_on, until),
        )
    )
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
        for row in session.execute(_scoped(query, owner_id))
    ]


def ozg_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """OZG services below their target maturity whose deadline (the legal one unless agreed
    otherwise) is on or before `until` (all of them for None)."""
    due_on = func.coalesce(OzgService.deadline_on, literal(OZG_DEADLINE_ON, Date))
    query = (
        select(
            OzgService.id,
            due_on,
            OzgService.name,
            OzgService.ozg_id,
            OzgService.maturity_model,
            OzgService.maturity_current,
            OzgService.maturity_target,
            Measure.id,
            Measure.code,
            Measure.title,
            Measure.owner_id,
            Person.name,
        )
        .outerjoin(Measure, OzgService.measure_id == Measure.id)
        .outerjoin(Person, Measure.owner_id == Person.id)
        .where(
            OzgService.municipality_id == municipality_id,
            OzgService.maturity_current < OzgService.maturity_target,
            *_until(due_on, until),
        )
    )
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
        for row in session.execute(_scoped(query, owner_id))
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
