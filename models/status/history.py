"""What the committee report reads beyond the catalogue: who did not answer, when measures were
finished, and the report snapshots taken before."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models.enums import MeasureStatus
from models.snapshot import ReportSnapshot
from models.status.tables import StatusReport, StatusRequest, StatusRequestItem

# Bound parameters per IN clause; SQLite and PostgreSQL both accept far more, but stay modest.
CHUNK = 5000


def unanswered_items(*, session: Session, period_id: int) -> list[StatusRequestItem]:
    """Measures asked about in this period and not answered, with the person asked."""
    query = (
        select(StatusRequestItem)
        .join(StatusRequest)
        .where(StatusRequest.period_id == period_id, StatusRequestItem.answered_at.is_(None))
        .options(
            joinedload(StatusRequestItem.request).joinedload(StatusRequest.person),
            joinedload(StatusRequestItem.measure),
        )
        .order_by(StatusRequest.person_id, StatusRequestItem.measure_id)
    )
    return list(session.scalars(query).unique())


def done_since(*, session: Session, measure_ids: list[int]) -> dict[int, datetime]:
    """For measures whose latest answers say done: when the first of those answers came in."""
    since: dict[int, datetime] = {}
    for start in range(0, len(measure_ids), CHUNK):
        query = (
            select(StatusReport.measure_id, StatusReport.status, StatusReport.reported_at)
            .where(StatusReport.measure_id.in_(measure_ids[start : start + CHUNK]))
            .order_by(StatusReport.measure_id, StatusReport.reported_at, StatusReport.id)
        )
        for measure_id, status, reported_at in session.execute(query):
            if status is not MeasureStatus.DONE:
                since.pop(measure_id, None)
            elif measure_id not in since:
                since[measure_id] = reported_at
    return since


def previous_snapshot(
    *, session: Session, municipality_id: int, before_period: str
) -> ReportSnapshot | None:
    """The latest snapshot of a period before this one (codes such as `2026-Q3` sort in time)."""
    query = (
        select(ReportSnapshot)
        .where(
            ReportSnapshot.municipality_id == municipality_id,
            ReportSnapshot.period_code < before_period,
        )
        .order_by(ReportSnapshot.period_code.desc())
        .limit(1)
    )
    return session.scalar(query)
