"""Builders of deadlines as the roadmap reads them, for tests that need no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from models.enums import MaturityModel
from models.legal import OZG_DEADLINE_ON
from models.roadmap import Deadline, DeadlineKind


def milestone(due_on: date, **fields: Any) -> Deadline:
    """A milestone "Vergabe" due on this day (its kind unset unless given)."""
    found = Deadline(
        kind=DeadlineKind.MILESTONE, source_id=1, municipality_id=1, due_on=due_on, title="Vergabe"
    )
    return replace(found, **fields)


def measure_end(due_on: date, **fields: Any) -> Deadline:
    """The planned end of a measure on this day."""
    found = Deadline(
        kind=DeadlineKind.MEASURE_END,
        source_id=1,
        municipality_id=1,
        due_on=due_on,
        title="E-Akte",
    )
    return replace(found, **fields)


def ozg_service(**fields: Any) -> Deadline:
    """OZG service 10218 Wohngeld at level 2 of model v1.1, level 3 due by the OZG's deadline."""
    found = Deadline(
        kind=DeadlineKind.OZG_SERVICE,
        source_id=1,
        municipality_id=1,
        due_on=OZG_DEADLINE_ON,
        title="Wohngeld",
        ozg_id="10218",
        maturity_model=MaturityModel.V1_1,
        maturity_current=2,
        maturity_target=3,
    )
    return replace(found, **fields)
