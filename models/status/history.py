"""What the committee report reads beyond the catalogue: whether anyone was asked, who did not
answer, when measures were finished, and the report snapshots taken before.

A period's report reads the answers recorded up to the end of its closing day (`up_to`):
an answer that comes later belongs to the next report, also when this one is taken late.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, joinedload

from models.audit import AuditEntry
from models.enums import Health, MeasureStatus
from models.measure import Measure
from models.snapshot import ReportSnapshot
from models.status.tables import (
    ReportingPeriod,
    StatusReport,
    StatusRequest,
    StatusRequestItem,
    period_bounds,
)

# Bound parameters per IN clause; SQLite and PostgreSQL both accept far more, but stay modest.
CHUNK = 5000


def requests_went_out(*, session: Session, municipality_id: int, period_code: str) -> bool:
    """Whether any owner of the municipality was sent a status request for this period."""
    query = (
        select(StatusRequest.id)
        .join(ReportingPeriod)
        .where(
            ReportingPeriod.municipality_id == municipality_id,
            ReportingPeriod.code == period_code,
            StatusRequest.sent_at.is_not(None),
        )
        .limit(1)
    )
    return session.scalar(query) is not None


def closing_day(*, session: Session, municipality_id: int, period_code: str) -> date:
    """The last day on which answers count for this period: the day its requests' period
    closes, or the quarter's last day where nobody was asked."""
    query = select(ReportingPeriod.closes_on).where(
        ReportingPeriod.municipality_id == municipality_id, ReportingPeriod.code == period_code
    )
    return session.scalar(query) or period_bounds(period_code)[1]


def unanswered_items(
    *, session: Session, period_id: int, up_to: datetime | None = None
) -> list[StatusRequestItem]:
    """Measures asked about in this period and not answered (before `up_to`), with the person."""
    unanswered: ColumnElement[bool] = StatusRequestItem.answered_at.is_(None)
    if up_to is not None:
        unanswered = or_(unanswered, StatusRequestItem.answered_at >= up_to)
    query = (
        select(StatusRequestItem)
        .join(StatusRequest)
        .where(StatusRequest.period_id == period_id, unanswered)
        .options(
            joinedload(StatusRequestItem.request).joinedload(StatusRequest.person),
            joinedload(StatusRequestItem.measure),
        )
        .order_by(StatusRequest.person_id, StatusRequestItem.measure_id)
    )
    return list(session.scalars(query).unique())


def done_since(
    *, session: Session, measure_ids: list[int], up_to: datetime | None = None
) -> dict[int, datetime]:
    """For measures whose latest answers (before `up_to`) say done: when the first of those
    answers came in."""
    since: dict[int, datetime] = {}
    for start in range(0, len(measure_ids), CHUNK):
        query = (
            select(StatusReport.measure_id, StatusReport.status, StatusReport.reported_at)
            .where(StatusReport.measure_id.in_(measure_ids[start : start + CHUNK]))
            .order_by(StatusReport.measure_id, StatusReport.reported_at, StatusReport.id)
        )
        if up_to is not None:
            query = query.where(StatusReport.reported_at < up_to)
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


class Standing(BaseModel):
    """The fields of a measure that answers set, as they stood at some instant."""

    status: MeasureStatus
    progress: int
    health: Health | None = None
    forecast_end_on: date | None = None
    budget_spent: Decimal | None = None


ANSWERED_FIELDS = tuple(Standing.model_fields)


def standing_at(
    *, session: Session, measures: Sequence[Measure], up_to: datetime
) -> dict[int, Standing]:
    """Each measure's answered fields as they stood at `up_to`.

    The row of a measure answered since holds what the later answers said; the audit trail
    keeps what each field was before the first of those answers changed it.
    """
    standing = {m.id: Standing.model_validate(m, from_attributes=True) for m in measures}
    ids = list(standing)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for measure_id, before in _before_later_answers(session, chunk, up_to).items():
            standing[measure_id] = Standing.model_validate(
                {**standing[measure_id].model_dump(), **before}
            )
    return standing


def _before_later_answers(
    session: Session, measure_ids: list[int], up_to: datetime
) -> dict[int, dict[str, Any]]:
    """Measure id → the answered fields' values before its first answer after `up_to`."""
    # The audit entry of that answer's row is written in the same flush as, and just before,
    # the entry of the change it made to the measure: its id marks where "later" begins.
    first_later = (
        select(StatusReport.measure_id, func.min(AuditEntry.id))
        .join(
            AuditEntry,
            (AuditEntry.entity == StatusReport.__tablename__)
            & (AuditEntry.entity_id == StatusReport.id),
        )
        .where(StatusReport.measure_id.in_(measure_ids), StatusReport.reported_at >= up_to)
        .group_by(StatusReport.measure_id)
    )
    marks: dict[int, int] = dict(session.execute(first_later).tuples().all())
    if not marks:
        return {}
    changes = (
        select(AuditEntry.entity_id, AuditEntry.id, AuditEntry.changes)
        .where(
            AuditEntry.entity == Measure.__tablename__,
            AuditEntry.action == "update",
            AuditEntry.entity_id.in_(list(marks)),
            AuditEntry.id > min(marks.values()),
        )
        .order_by(AuditEntry.id)
    )
    before: dict[int, dict[str, Any]] = {}
    for measure_id, entry_id, changed in session.execute(changes):
        if measure_id is None or entry_id <= marks[measure_id]:
            continue
        known = before.setdefault(measure_id, {})
        for field in ANSWERED_FIELDS:
            if field in changed and field not in known:
                known[field] = changed[field][0]
    return before


def milestones_reached_later(
    *, session: Session, measure_ids: list[int], up_to: datetime
) -> set[int]:
    """Milestones that no answer before `up_to` reported reached and a later one did."""
    before: set[int] = set()
    later: set[int] = set()
    for start in range(0, len(measure_ids), CHUNK):
        query = select(StatusReport.reported_at, StatusReport.milestones_reached).where(
            StatusReport.measure_id.in_(measure_ids[start : start + CHUNK])
        )
        for reported_at, reached in session.execute(query):
            ids = {int(entry["milestone_id"]) for entry in reached or []}
            (later if reported_at >= up_to else before).update(ids)
    return later - before
