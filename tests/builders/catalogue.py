"""Builders of the catalogue's rows: municipality, person, strategy, measure, milestone,
committee."""

from __future__ import annotations

from collections.abc import Sequence
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


def fields_of_action(
    session: Session, town: Municipality, *names: str, strategy: str | None = None
) -> list[FieldOfAction]:
    """A strategy of the town with these fields of action, in this order."""
    adopted = Strategy(
        municipality_id=town.id, name=strategy or f"Digitalstrategie {next(_sequence)}"
    )
    session.add(adopted)
    session.flush()
    fields = [
        FieldOfAction(strategy_id=adopted.id, name=name, position=index)
        for index, name in enumerate(names or ("Verwaltung",))
    ]
    session.add_all(fields)
    session.flush()
    return fields


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
    session: Session,
    town: Municipality,
    *,
    name: str = "Ausschuss für Digitalisierung",
    recipients: Sequence[str] = ("ausschuss@example.org",),
    meetings: Sequence[date] = (),
    **fields: object,
) -> Committee:
    created = Committee(
        municipality_id=town.id,
        name=name,
        recipients=list(recipients),
        meetings=[CommitteeMeeting(meets_on=day) for day in meetings],
        **fields,
    )
    session.add(created)
    session.flush()
    return created
