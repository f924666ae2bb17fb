"""Reporting periods, status requests to owners and the append-only history of answers."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column, relationship

from models.audit import Audited
from models.base import Base, utcnow
from models.enums import AnswerSource, Health, MeasureStatus, db_enum
from models.measure import Measure
from models.person import Person

if TYPE_CHECKING:
    from models.indicator import Indicator

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")


class ReportingPeriod(Audited, Base):
    """A quarter in which owners are asked for their status, e.g. `2026-Q3`."""

    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("municipality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Answers are due on this day; owners can still correct them until the period closes.
    due_on: Mapped[date]
    closes_on: Mapped[date]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatusRequest(Base):
    """One owner asked in one period; the token behind their link is stored only as SHA-256.

    The token is derived from the request's period, owner and `link_generation` under the
    server's secret key (`models.status.links`), so every message of the period carries the
    same link; renewing the link raises the generation.
    """

    __tablename__ = "status_request"
    __table_args__ = (UniqueConstraint("period_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    link_generation: Mapped[int] = mapped_column(default=1, server_default="1")
    # When a message last carried the current link; empty after a renewal until one does.
    link_sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_reminded_at: Mapped[datetime | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

    period: Mapped[ReportingPeriod] = relationship()
    person: Mapped[Person] = relationship()
    items: Mapped[list[StatusRequestItem]] = relationship(
        back_populates="request", cascade="all, delete-orphan"
    )
    indicator_items: Mapped[list[StatusRequestIndicator]] = relationship(
        back_populates="request", cascade="all, delete-orphan"
    )

    @property
    def fully_answered(self) -> bool:
        """Whether every measure and every indicator asked about has an answer."""
        return all(i.answered_at for i in self.items) and all(
            i.answered_at for i in self.indicator_items
        )


class ReplacedStatusLink(Base):
    """A link a request had before it was renewed, kept as its hash only: following it says
    that it was replaced, and when, instead of "not found"."""

    __tablename__ = "replaced_status_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("status_request.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[StatusRequest] = relationship()


class StatusRequestItem(Base):
    """One measure an owner was asked about; answered once any answer is recorded for it."""

    __tablename__ = "status_request_item"
    __table_args__ = (UniqueConstraint("request_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("status_request.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime | None]

    request: Mapped[StatusRequest] = relationship(back_populates="items")
    measure: Mapped[Measure] = relationship()


class StatusRequestIndicator(Base):
    """One indicator whose current value an owner was asked for; answered by a value."""

    __tablename__ = "status_request_indicator"
    __table_args__ = (UniqueConstraint("request_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("status_request.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime | None]

    request: Mapped[StatusRequest] = relationship(back_populates="indicator_items")
    indicator: Mapped[Indicator] = relationship()


class StatusReport(Audited, Base):
    """One answer about one measure. Append-only: a correction is a new row."""

    __tablename__ = "status_report"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    period_id: Mapped[int | None] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MeasureStatus] = mapped_column(db_enum(MeasureStatus))
    health: Mapped[Health | None] = mapped_column(db_enum(Health))
    # Why the owner's health differs from the derived one; see the health rule in docs/deadlines.md.
    health_reason: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int]
    achieved: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    decisions_needed: Mapped[str] = mapped_column(Text, default="")
    forecast_end_on: Mapped[date | None]
    budget_spent: Mapped[Decimal | None]
    # [{"milestone_id": 3, "done_on": "2026-09-30"}, …]
    milestones_reached: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source: Mapped[AnswerSource] = mapped_column(db_enum(AnswerSource))
    reported_by: Mapped[str] = mapped_column(String(254))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    measure: Mapped[Measure] = relationship()


class AppendOnlyError(Exception):
    """An attempt to change or delete recorded history."""


@event.listens_for(StatusReport, "before_update")
@event.listens_for(StatusReport, "before_delete")
def _refuse_rewriting_history(mapper: Mapper[Any], connection: Any, target: StatusReport) -> None:
    raise AppendOnlyError(f"status report {target.id} is history and cannot be changed")


def period_bounds(code: str) -> tuple[date, date]:
    """First and last day of a quarter code such as `2026-Q3`; ValueError if malformed."""
    match = PERIOD_CODE.match(code)
    if match is None:
        raise ValueError(f"period {code!r} is not of the form 2026-Q3")
    year, quarter = int(match["year"]), int(match["quarter"])
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def period_code_of(day: date) -> str:
    """The quarter code that contains a day."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def period_by_code(*, session: Session, municipality_id: int, code: str) -> ReportingPeriod | None:
    """The municipality's reporting period with this code."""
    query = select(ReportingPeriod).where(
        ReportingPeriod.municipality_id == municipality_id, ReportingPeriod.code == code
    )
    return session.scalar(query)


def request_by_token_hash(*, session: Session, token_hash: str) -> StatusRequest | None:
    """The status request whose token hashes to this value."""
    return session.scalar(select(StatusRequest).where(StatusRequest.token_hash == token_hash))


def latest_reports(
    *, session: Session, measure_ids: list[int], up_to: datetime | None = None
) -> dict[int, StatusReport]:
    """The most recent answer (recorded before `up_to`) for each of these measures, if any."""
    query = (
        select(StatusReport)
        .where(StatusReport.measure_id.in_(measure_ids))
        .order_by(StatusReport.measure_id, StatusReport.reported_at, StatusReport.id)
    )
    if up_to is not None:
        query = query.where(StatusReport.reported_at < up_to)
    return {report.measure_id: report for report in session.scalars(query)}
