"""Measures (*Maßnahmen*) and their milestones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.audit import Audited
from models.base import Base, Timestamped
from models.enums import Health, MeasureStatus, MilestoneKind, Priority, db_enum
from models.errors import required
from models.municipality import FieldOfAction, Pillar
from models.person import Person

measure_pillar = Table(
    "measure_pillar",
    Base.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("pillar_id", ForeignKey("pillar.id", ondelete="CASCADE"), primary_key=True),
)

measure_dependency = Table(
    "measure_dependency",
    Base.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("depends_on_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
)


class Measure(Audited, Timestamped, Base):
    """A concrete measure of the strategy, with an owner, dates and a reported state."""

    __tablename__ = "measure"
    __table_args__ = (
        UniqueConstraint("municipality_id", "code"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    field_of_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("field_of_action.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    status: Mapped[MeasureStatus] = mapped_column(
        db_enum(MeasureStatus), default=MeasureStatus.PLANNED
    )
    # The last health the owner reported; the derived health is computed, never stored here.
    health: Mapped[Health | None] = mapped_column(db_enum(Health))
    progress: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    forecast_end_on: Mapped[date | None]
    priority: Mapped[Priority | None] = mapped_column(db_enum(Priority))
    quick_win: Mapped[bool] = mapped_column(default=False)
    budget_planned: Mapped[Decimal | None]
    budget_spent: Mapped[Decimal | None]
    is_public: Mapped[bool] = mapped_column(default=True)

    field_of_action: Mapped[FieldOfAction | None] = relationship()
    owner: Mapped[Person | None] = relationship()
    pillars: Mapped[list[Pillar]] = relationship(secondary=measure_pillar, order_by=Pillar.position)
    depends_on: Mapped[list[Measure]] = relationship(
        secondary=measure_dependency,
        primaryjoin=lambda: Measure.id == measure_dependency.c.measure_id,
        secondaryjoin=lambda: Measure.id == measure_dependency.c.depends_on_id,
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="measure", order_by="Milestone.due_on", cascade="all, delete-orphan"
    )


class Milestone(Audited, Timestamped, Base):
    """A dated step of a measure; legal and OZG milestones are deadlines set by law."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("measure_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date]
    kind: Mapped[MilestoneKind] = mapped_column(
        db_enum(MilestoneKind), default=MilestoneKind.INTERNAL
    )
    done_on: Mapped[date | None]

    measure: Mapped[Measure] = relationship(back_populates="milestones")


def measures_of(*, session: Session, municipality_id: int) -> list[Measure]:
    """All measures of a municipality with what is shown beside them, by code."""
    query = (
        select(Measure)
        .where(Measure.municipality_id == municipality_id)
        .options(
            selectinload(Measure.pillars),
            selectinload(Measure.milestones),
            selectinload(Measure.owner),
            selectinload(Measure.field_of_action),
            selectinload(Measure.depends_on),
        )
        .order_by(Measure.code)
    )
    return list(session.scalars(query))


def measure_by_code(*, session: Session, municipality_id: int, code: str) -> Measure | None:
    """The measure with this code in the municipality."""
    query = select(Measure).where(Measure.municipality_id == municipality_id, Measure.code == code)
    return session.scalar(query)


def open_measures_by_owner(*, session: Session, municipality_id: int) -> dict[int, list[Measure]]:
    """Open measures (planned, in progress, on hold) grouped by owner id, by code."""
    open_statuses = [status for status in MeasureStatus if status.is_open]
    query = (
        select(Measure)
        .where(
            Measure.municipality_id == municipality_id,
            Measure.owner_id.is_not(None),
            Measure.status.in_(open_statuses),
        )
        .order_by(Measure.owner_id, Measure.code)
    )
    grouped: dict[int, list[Measure]] = {}
    for measure in session.scalars(query):
        owner_id = required(measure.owner_id, f"the owner of measure {measure.code}")
        grouped.setdefault(owner_id, []).append(measure)
    return grouped
