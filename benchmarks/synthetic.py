"""A synthetic catalogue of any size, written with bulk inserts (no ORM objects, no audit rows).

    with session_scope() as session:
        made = generate(session=session, shape=CatalogueShape(municipalities=10, owners=100))

Every municipality gets a strategy with pillars and fields of action, coordinators, owners
(every fifth with a deputy, every tenth writing in English), measures spread evenly over the
owners with mixed statuses, milestones and OZG services. The same seed gives the same data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from models import (
    FieldOfAction,
    Measure,
    Milestone,
    Municipality,
    OzgService,
    Person,
    Pillar,
    Strategy,
)
from models.enums import MaturityModel, MeasureStatus, MilestoneKind, Priority

FIELDS = ["Verwaltung", "Bildung", "Infrastruktur", "Mobilität", "Wirtschaft", "Gesellschaft"]
PILLARS = ["Meer-Service", "Meer-Daten", "Meer-Teilhabe", "Meer-Nachhaltigkeit"]
# Most measures are open, as in a strategy that is being implemented.
STATUS_WEIGHTS = {
    MeasureStatus.IN_PROGRESS: 55,
    MeasureStatus.PLANNED: 30,
    MeasureStatus.ON_HOLD: 5,
    MeasureStatus.DONE: 8,
    MeasureStatus.CANCELLED: 2,
}


class CatalogueShape(BaseModel):
    """How big the catalogue is; counts are per municipality."""

    municipalities: int = Field(default=1, ge=1)
    owners: int = Field(default=100, ge=1)
    measures: int = Field(default=1000, ge=0)
    coordinators: int = Field(default=2, ge=0)
    milestones_per_measure: int = Field(default=2, ge=0)
    ozg_services: int = Field(default=50, ge=0)
    all_open: bool = False
    start: date = date(2026, 1, 1)
    seed: int = 2026
    # Municipalities are named `{prefix}-1`, `{prefix}-2`, …
    prefix: str = Field(default="synthetic", pattern=r"^[a-z][a-z0-9-]{0,40}$")


class Generated(BaseModel):
    """What was written."""

    municipality_ids: list[int]
    people: int
    measures: int
    milestones: int
    ozg_services: int


def _bulk(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), rows)


def _ids(session: Session, column: Any, where: Any) -> list[int]:
    return list(session.scalars(select(column).where(where).order_by(column)))


def _strategy(session: Session, town_id: int) -> list[int]:
    session.execute(insert(Strategy), [{"municipality_id": town_id, "name": "Digitalstrategie"}])
    strategy_id = _ids(session, Strategy.id, Strategy.municipality_id == town_id)[0]
    _bulk(
        session,
        Pillar,
        [{"strategy_id": strategy_id, "name": n, "position": i} for i, n in enumerate(PILLARS)],
    )
    _bulk(
        session,
        FieldOfAction,
        [{"strategy_id": strategy_id, "name": n, "position": i} for i, n in enumerate(FIELDS)],
    )
    return _ids(session, FieldOfAction.id, FieldOfAction.strategy_id == strategy_id)


def _people(session: Session, town_id: int, slug: str, shape: CatalogueShape) -> list[int]:
    """The owners' ids; every fifth owner has the owner before as deputy."""
    coordinators = [
        {
            "municipality_id": town_id,
            "name": f"Koordination {n}",
            "email": f"koordination{n}@{slug}.example.org",
            "is_coordinator": True,
        }
        for n in range(1, shape.coordinators + 1)
    ]
    owners = [
        {
            "municipality_id": town_id,
            "name": f"Verantwortliche {n}",
            "email": f"owner{n}@{slug}.example.org",
            "org_unit": f"Amt {n % 40 + 10}",
            "language": "en" if n % 10 == 0 else "de",
        }
        for n in range(1, shape.owners + 1)
    ]
    _bulk(session, Person, coordinators + owners)
    owner_ids = _ids(
        session, Person.id, (Person.municipality_id == town_id) & Person.is_coordinator.is_(False)
    )
    deputies = [
        {"id": owner_ids[i], "deputy_id": owner_ids[i - 1]} for i in range(1, len(owner_ids), 5)
    ]
    if deputies:
        session.execute(update(Person), deputies)
    return owner_ids


def _measures(
    session: Session,
    town_id: int,
    owner_ids: list[int],
    field_ids: list[int],
    shape: CatalogueShape,
    chance: random.Random,
) -> list[int]:
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    rows = []
    for n in range(shape.measures):
        status = (
            MeasureStatus.IN_PROGRESS if shape.all_open else chance.choices(statuses, weights)[0]
        )
        starts_on = shape.start + timedelta(days=chance.randrange(0, 365))
        rows.append(
            {
                "municipality_id": town_id,
                "code": f"{FIELDS[n % len(FIELDS)][0]}-{n + 1:05d}",
                "title": f"Maßnahme {n + 1}: {FIELDS[n % len(FIELDS)]} digital",
                "description": "Synthetische Maßnahme für Messungen.",
                "field_of_action_id": field_ids[n % len(field_ids)],
                "owner_id": owner_ids[n % len(owner_ids)],
                "status": status,
                "progress": 100 if status is MeasureStatus.DONE else chance.randrange(0, 95, 5),
                "starts_on": starts_on,
                "ends_on": starts_on + timedelta(days=chance.randrange(90, 900)),
                "priority": chance.choice(list(Priority)),
                "quick_win": n % 7 == 0,
                "budget_planned": Decimal(chance.randrange(5_000, 500_000, 500)),
                "budget_spent": Decimal(chance.randrange(0, 5_000, 50)),
            }
        )
    _bulk(session, Measure, rows)
    return _ids(session, Measure.id, Measure.municipality_id == town_id)


def _milestones(
    session: Session, measure_ids: list[int], shape: CatalogueShape, chance: random.Random
) -> int:
    kinds = list(MilestoneKind)
    rows = [
        {
            "measure_id": measure_id,
            "title": f"Meilenstein {k + 1}",
            "due_on": shape.start + timedelta(days=chance.randrange(0, 730)),
            "kind": kinds[(measure_id + k) % len(kinds)],
            "done_on": None,
        }
        for measure_id in measure_ids
        for k in range(shape.milestones_per_measure)
    ]
    _bulk(session, Milestone, rows)
    return len(rows)


def _ozg_services(
    session: Session, town_id: int, measure_ids: list[int], shape: CatalogueShape
) -> int:
    rows = [
        {
            "municipality_id": town_id,
            "ozg_id": f"{10000 + n}",
            "leika_key": f"99{n:012d}",
            "name": f"OZG-Leistung {n + 1}",
            "topic_field": FIELDS[n % len(FIELDS)],
            "measure_id": measure_ids[n % len(measure_ids)] if measure_ids else None,
            "maturity_model": MaturityModel.V1_1 if n % 3 else MaturityModel.V2_0,
            "maturity_current": n % 3,
            "maturity_target": 3,
            "deadline_on": date(2026, 12, 31),
        }
        for n in range(shape.ozg_services)
    ]
    _bulk(session, OzgService, rows)
    return len(rows)


def generate(*, session: Session, shape: CatalogueShape) -> Generated:
    """Write a catalogue of this shape; municipalities are named `{prefix}-1`, `{prefix}-2`, …"""
    chance = random.Random(shape.seed)
    made = Generated(municipality_ids=[], people=0, measures=0, milestones=0, ozg_services=0)
    for number in range(1, shape.municipalities + 1):
        slug = f"{shape.prefix}-{number}"
        session.execute(insert(Municipality), [{"slug": slug, "name": f"Synthstadt {number}"}])
        (town_id,) = _ids(session, Municipality.id, Municipality.slug == slug)
        field_ids = _strategy(session, town_id)
        owner_ids = _people(session, town_id, slug, shape)
        measure_ids = _measures(session, town_id, owner_ids, field_ids, shape, chance)
        made.municipality_ids.append(town_id)
        made.people += len(owner_ids) + shape.coordinators
        made.measures += len(measure_ids)
        made.milestones += _milestones(session, measure_ids, shape, chance)
        made.ozg_services += _ozg_services(session, town_id, measure_ids, shape)
    return made
