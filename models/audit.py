"""Audit trail: who changed what and when, written alongside every flush of audited rows."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, String, event, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm.base import PassiveFlag

from models.base import Base, utcnow


class Audited:
    """Marks a table whose every change is written to the audit trail."""


class AuditEntry(Base):
    """One change of one row."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(row: Any, *, only_modified: bool) -> dict[str, Any]:
    # History straight from the attributes: `inspect(row).attrs` would keep an object per
    # attribute on every row of the session, a hundred megabytes for a large import.
    changed: dict[str, Any] = {}
    for attribute in inspect(row).mapper.column_attrs:
        history = get_history(row, attribute.key, passive=PassiveFlag.PASSIVE_NO_INITIALIZE)
        if only_modified and not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else getattr(row, attribute.key)
        changed[attribute.key] = [_plain(old), _plain(new)] if only_modified else _plain(new)
    return changed


def _entry(row: Any, action: str, actor: str, at: datetime) -> dict[str, Any]:
    modified = action == "update"
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": row.__tablename__,
        "entity_id": inspect(row).mapper.primary_key_from_instance(row)[0],
        "changes": _changes(row, only_modified=modified) if action != "delete" else {},
    }


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context: Any) -> None:
    actor = str(session.info.get("actor", "system"))
    at = utcnow()
    entries = [_entry(row, "create", actor, at) for row in session.new if isinstance(row, Audited)]
    entries += [
        _entry(row, "update", actor, at)
        for row in session.dirty
        if isinstance(row, Audited) and session.is_modified(row, include_collections=False)
    ]
    entries += [
        _entry(row, "delete", actor, at) for row in session.deleted if isinstance(row, Audited)
    ]
    if entries:
        session.connection().execute(insert(AuditEntry), entries)


def audit_trail(*, session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    """Every recorded change of one row, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(session.scalars(query))


def record_creation(session: Session, row: Any) -> None:
    """Audit a row written by a plain INSERT (an insert that skips existing rows, say), which
    the unit of work above does not see."""
    actor = str(session.info.get("actor", "system"))
    session.connection().execute(insert(AuditEntry), [_entry(row, "create", actor, utcnow())])
