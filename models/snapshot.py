"""Frozen report data, so a committee report can be rendered again identically."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow


class ReportSnapshot(Base):
    """All a report shows for one period, as JSON; the next report compares against it."""

    __tablename__ = "report_snapshot"
    __table_args__ = (UniqueConstraint("municipality_id", "period_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    period_code: Mapped[str] = mapped_column(String(16))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    delivered_at: Mapped[datetime | None]


def snapshot_for(
    *, session: Session, municipality_id: int, period_code: str
) -> ReportSnapshot | None:
    """The snapshot of this period, if one was taken."""
    query = select(ReportSnapshot).where(
        ReportSnapshot.municipality_id == municipality_id,
        ReportSnapshot.period_code == period_code,
    )
    return session.scalar(query)


def store_snapshot(
    *,
    session: Session,
    municipality_id: int,
    period_code: str,
    data: dict[str, Any],
    taken_at: datetime,
) -> ReportSnapshot:
    """Keep this period's data, replacing an earlier snapshot of the same period."""
    snapshot = snapshot_for(
        session=session, municipality_id=municipality_id, period_code=period_code
    )
    if snapshot is None:
        snapshot = ReportSnapshot(municipality_id=municipality_id, period_code=period_code)
        session.add(snapshot)
    snapshot.data = data
    snapshot.taken_at = taken_at
    session.flush()
    return snapshot
