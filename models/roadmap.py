"""Deadlines of the roadmap: open milestones, planned ends of open measures, OZG services.

When an owner hears of a deadline (also in docs/deadlines.md): on the days it enters a horizon,
that is when it is due in exactly one of the configured numbers of days (30, 14, 7, 1), then on
the first day it is overdue, and after that every Monday while it stays overdue. A deadline is
overdue from the day after its due date. Everything in between stays quiet, so an owner does
not read the same milestone every day.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from models.enums import MaturityModel, MeasureStatus, MilestoneKind, db_enum
from models.errors import IncompleteDeadlineError
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


# A plain dataclass rather than a model: the daily check builds one per row for every
# municipality, straight from typed columns in this order, and validating each again cost
# more than the query (see benchmarks/, "deadline query").
@dataclass(frozen=True, slots=True)
class Deadline:
    """One dated duty of an owner, flat and ready to show, send or put in a calendar."""

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


# The type of each field of a Deadline: what each kind of deadline leaves out is a NULL of
# this type, so every row comes back with dates and enums whatever kind comes first.
TYPES: dict[str, Any] = {
    "kind": db_enum(DeadlineKind),
    "source_id": Integer(),
    "municipality_id": Integer(),
    "due_on": Date(),
    "title": String(),
    "measure_id": Integer(),
    "measure_code": String(),
    "measure_title": String(),
    "milestone_kind": db_enum(MilestoneKind),
    "forecast_end_on": Date(),
    "ozg_id": String(),
    "maturity_model": db_enum(MaturityModel),
    "maturity_current": Integer(),
    "maturity_target": Integer(),
    "owner_id": Integer(),
    "owner_name": String(),
}
FIELDS = [field.name for field in fields(Deadline)]


def _columns(kind: DeadlineKind, **given: Any) -> list[Any]:
    """The select list of one kind in the order of Deadline's fields, NULL where it has none."""
    given["kind"] = type_coerce(literal_column(f"'{kind.value}'"), TYPES["kind"])
    return [
        (given[name] if name in given else cast(null(), TYPES[name])).label(name) for name in FIELDS
    ]


def _narrowed(query: Select[_Row], due_on: Any, *, until: bool, by_owner: bool) -> Select[_Row]:
    """The query of one kind for one municipality, with its optional conditions."""
    if until:
        query = query.where(due_on <= bindparam("until", type_=Date))
    if by_owner:
        query = query.where(MEASURE.c.owner_id == bindparam("owner_id"))
    return query


def _milestones(*, until: bool, by_owner: bool) -> Select[_Row]:
    """Open milestones of open measures."""
    query = (
        select(
            *_columns(
                DeadlineKind.MILESTONE,
                source_id=MILESTONE.c.id,
                municipality_id=MEASURE.c.municipality_id,
                due_on=MILESTONE.c.due_on,
                title=MILESTONE.c.title,
                milestone_kind=MILESTONE.c.kind,
                measure_id=MEASURE.c.id,
                measure_code=MEASURE.c.code,
                measure_title=MEASURE.c.title,
                owner_id=MEASURE.c.owner_id,
                owner_name=PERSON.c.name,
            )
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


def _measure_ends(*, until: bool, by_owner: bool) -> Select[_Row]:
    """Planned ends of open measures."""
    query = (
        select(
            *_columns(
                DeadlineKind.MEASURE_END,
                source_id=MEASURE.c.id,
                municipality_id=MEASURE.c.municipality_id,
                due_on=MEASURE.c.ends_on,
                title=MEASURE.c.title,
                forecast_end_on=MEASURE.c.forecast_end_on,
                measure_id=MEASURE.c.id,
                measure_code=MEASURE.c.code,
                measure_title=MEASURE.c.title,
                owner_id=MEASURE.c.owner_id,
                owner_name=PERSON.c.name,
            )
        )
        .select_from(MEASURE)
        .outerjoin(PERSON, MEASURE.c.owner_id == PERSON.c.id)
        .where(
            MEASURE.c.municipality_id == bindparam("municipality_id"),
            MEASURE.c.status.in_(OPEN_STATUSES),
            MEASURE.c.ends_on.is_not(None),
        )
    )
    return _narrowed(query, MEASURE.c.ends_on, until=until, by_owner=by_owner)


def _ozg_services(*, until: bool, by_owner: bool) -> Select[_Row]:
    """OZG services below their target maturity, due by their agreed or the legal deadline."""
    due_on = func.coalesce(OZG_SERVICE.c.deadline_on, literal(OZG_DEADLINE_ON, Date))
    query = (
        select(
            *_columns(
                DeadlineKind.OZG_SERVICE,
                source_id=OZG_SERVICE.c.id,
                municipality_id=OZG_SERVICE.c.municipality_id,
                due_on=due_on,
                title=OZG_SERVICE.c.name,
                ozg_id=OZG_SERVICE.c.ozg_id,
                maturity_model=OZG_SERVICE.c.maturity_model,
                maturity_current=OZG_SERVICE.c.maturity_current,
                maturity_target=OZG_SERVICE.c.maturity_target,
                measure_id=MEASURE.c.id,
                measure_code=MEASURE.c.code,
                measure_title=MEASURE.c.title,
                owner_id=MEASURE.c.owner_id,
                owner_name=PERSON.c.name,
            )
        )
        .select_from(OZG_SERVICE)
        .outerjoin(MEASURE, OZG_SERVICE.c.measure_id == MEASURE.c.id)
        .outerjoin(PERSON, MEASURE.c.owner_id == PERSON.c.id)
        .where(
            OZG_SERVICE.c.municipality_id == bindparam("municipality_id"),
            OZG_SERVICE.c.maturity_current < OZG_SERVICE.c.maturity_target,
        )
    )
    return _narrowed(query, due_on, until=until, by_owner=by_owner)


# One statement for all three kinds, built once per shape and on the tables rather than the
# mapped classes: building an ORM statement, computing its cache key and compiling it cost
# more than running it for a town's few hundred rows (see benchmarks/, "deadline query"), and
# the daily check runs it for every municipality of a district or a state.
# One statement for all three kinds, built once per shape and on the tables rather than the
# mapped classes: building an ORM statement, computing its cache key and compiling it cost
# more than running it for a town's few hundred rows (see benchmarks/, "deadline query"), and
# the daily check runs it for every municipality of a district or a state.
@cache
def _deadline_query(*, until: bool, by_owner: bool) -> CompoundSelect[_Row]:
    return union_all(
        *(
            kind(until=until, by_owner=by_owner)
            for kind in (_milestones, _measure_ends, _ozg_services)
        )
    )


def sort_key(deadline: Deadline) -> tuple[date, str, str, int]:
    """Deadlines read best by date, then measure, then kind. Sorted here rather than in SQL so
    that every database orders codes and missing measures alike."""
    return (deadline.due_on, deadline.measure_code or "", deadline.kind.value, deadline.source_id)


def open_deadlines(
    *, session: Session, municipality_id: int, until: date | None, owner_id: int | None = None
) -> list[Deadline]:
    """Every open deadline due on or before `until` (all for None), by date and measure."""
    parameters: dict[str, Any] = {"municipality_id": municipality_id}
    if until is not None:
        parameters["until"] = until
    if owner_id is not None:
        parameters["owner_id"] = owner_id
    statement = _deadline_query(until=until is not None, by_owner=owner_id is not None)
    return sorted((Deadline(*row) for row in session.execute(statement, parameters)), key=sort_key)


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
    if deadline.maturity_model is None or deadline.maturity_target is None:
        raise IncompleteDeadlineError(f"OZG service {deadline.ozg_id}: no maturity model or target")
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
