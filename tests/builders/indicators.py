"""Builders of indicators and their targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from models import Indicator, IndicatorTarget, Municipality
from models.enums import Direction

_sequence = count(1)


def indicator(session: Session, town: Municipality, **fields: object) -> Indicator:
    number = next(_sequence)
    values: dict[str, object] = {
        "code": f"K-{number:02d}",
        "name": f"Kennzahl {number}",
        "unit": "%",
        "direction": Direction.UP,
        "baseline_value": Decimal(12),
        "baseline_on": date(2024, 12, 31),
    }
    values.update(fields)
    created = Indicator(municipality_id=town.id, **values)
    session.add(created)
    session.flush()
    return created


def target(session: Session, of: Indicator, due_on: date, value: str) -> IndicatorTarget:
    created = IndicatorTarget(indicator_id=of.id, due_on=due_on, value=Decimal(value))
    session.add(created)
    session.flush()
    return created
