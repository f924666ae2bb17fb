"""Builder of OZG services: a service of the town, by default on maturity model v1.1."""

from __future__ import annotations

from itertools import count

from sqlalchemy.orm import Session

from models import Municipality, OzgService

_sequence = count(1)


def ozg_service(session: Session, town: Municipality, **fields: object) -> OzgService:
    """An OZG service with a fresh OZG id; what is not given keeps the table's defaults
    (model v1.1, current maturity 0, target 3, the OZG's legal deadline)."""
    number = next(_sequence)
    values: dict[str, object] = {"ozg_id": f"9{number:04d}", "name": f"Leistung {number}"}
    values.update(fields)
    service = OzgService(municipality_id=town.id, **values)
    session.add(service)
    session.flush()
    return service
