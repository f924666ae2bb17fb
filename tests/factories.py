"""Small builders of domain rows for tests."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy.orm import Session

from models import (
    Committee,
    CommitteeMeeting,
    FieldOfAction,
    Measure,
    Milestone,
    Municipality,
    Person,
    Strategy,
)
from models.enums import MeasureStatus, MilestoneKind

_sequence = count(1)


def municipality(
    session: Session, *, slug: str = "default", name: str = "Musterstadt"
) -> Municipality:
    town = Municipality(slug=slug, name=name)
    session.add(town)
    session.flush()
    return town


def person(session: Session, town: Municipality, **fields: object) -> Person:
    number = next(_sequence)
    values: dict[str, object] = {"name": f"Person {number}", "email": f"person{number}@example.org"}
    values.update(fields)
    someone = Person(municipality_id=town.id, **values)
    session.add(someone)
    session.flush()
    return someone


def field_of_action(
    session: Session, town: Municipality, name: str = "Verwaltung"
) -> FieldOfAction:
    strategy = Strategy(municipality_id=town.id, name=f"Digitalstrategie {next(_sequence)}")
    session.add(strategy)
    session.flush()
    field = FieldOfAction(strategy_id=strategy.id, name=name)
    session.add(field)
    session.flush()
    return field


def measure(session: Session, town: Municipality, **fields: object) -> Measure:
    number = next(_sequence)
    values: dict[str, object] = {
        "code": f"M-{number:03d}",
        "title": f"Maßnahme {number}",
        "status": MeasureStatus.IN_PROGRESS,
    }
    values.update(fields)
    created = Measure(municipality_id=town.id, **values)
    session.add(created)
    session.flush()
    return created


def milestone(session: Session, of: Measure, due_on: date, **fields: object) -> Milestone:
    values: dict[str, object] = {
        "title": f"Meilenstein {next(_sequence)}",
        "kind": MilestoneKind.INTERNAL,
    }
    values.update(fields)
    created = Milestone(measure_id=of.id, due_on=due_on, **values)
    session.add(created)
    session.flush()
    return created


def committee(
    session: Session, town: Municipality, *, meetings: tuple[date, ...] = (), **fields: object
) -> Committee:
    values: dict[str, object] = {"name": f"Ausschuss {next(_sequence)}"}
    values.update(fields)
    created = Committee(municipality_id=town.id, **values)
    created.meetings = [CommitteeMeeting(meets_on=day) for day in meetings]
    session.add(created)
    session.flush()
    return created
