"""Indicators (*Kennzahlen*): what the strategy wants to change, measured over time.

An indicator has a baseline, one or more targets and an append-only history of measured values;
how it is judged against the path from its baseline to its targets is in
`models.indicator_judgement` (and docs/report.md).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column, relationship, selectinload

from models.audit import Audited
from models.base import Base, Quantity, Timestamped, utcnow
from models.enums import Direction, db_enum
from models.errors import required
from models.indicator_judgement import IndicatorFacts, Point
from models.measure import Measure
from models.municipality import FieldOfAction
from models.person import Person
from models.status.tables import AppendOnlyError

indicator_measure = Table(
    "indicator_measure",
    Base.metadata,
    Column("indicator_id", ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
)


class Indicator(Audited, Timestamped, Base):
    """A number the strategy wants to move, such as the share of OZG services online."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("municipality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[Direction] = mapped_column(db_enum(Direction), default=Direction.UP)
    baseline_value: Mapped[Decimal] = mapped_column(Quantity())
    baseline_on: Mapped[date]
    # Who is asked for the value each period; without an owner values come from imports only.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    field_of_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("field_of_action.id", ondelete="SET NULL")
    )
    # Where the numbers come from, e.g. "Statistikamt Nord" or "eigene Zählung".
    source: Mapped[str] = mapped_column(String(300), default="")
    is_public: Mapped[bool] = mapped_column(default=True)

    owner: Mapped[Person | None] = relationship()
    field_of_action: Mapped[FieldOfAction | None] = relationship()
    measures: Mapped[list[Measure]] = relationship(
        secondary=indicator_measure, order_by=Measure.code
    )
    targets: Mapped[list[IndicatorTarget]] = relationship(
        back_populates="indicator", order_by="IndicatorTarget.due_on", cascade="all, delete-orphan"
    )
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator",
        order_by=lambda: [
            IndicatorValue.measured_on,
            IndicatorValue.recorded_at,
            IndicatorValue.id,
        ],
        passive_deletes=True,
    )


class IndicatorTarget(Audited, Base):
    """A value the indicator should have reached by a date."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("indicator_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    due_on: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Quantity())

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class IndicatorValue(Audited, Base):
    """One measured value. Append-only: a correction is a new row for the same day, and the
    row recorded last counts."""

    __tablename__ = "indicator_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    # The day the value describes (e.g. the end of the period asked about), not when it was typed.
    measured_on: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Quantity())
    # Where it came from: "Meldung <owner>", a statistics office, an import file.
    source: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")


@event.listens_for(IndicatorValue, "before_update")
@event.listens_for(IndicatorValue, "before_delete")
def _refuse_rewriting_values(mapper: Mapper[Any], connection: Any, target: IndicatorValue) -> None:
    raise AppendOnlyError(f"indicator value {target.id} is history and cannot be changed")


def indicators_of(*, session: Session, municipality_id: int) -> list[Indicator]:
    """All indicators of a municipality with their targets, values and links, by code."""
    query = (
        select(Indicator)
        .where(Indicator.municipality_id == municipality_id)
        .options(
            selectinload(Indicator.targets),
            selectinload(Indicator.values),
            selectinload(Indicator.owner),
            selectinload(Indicator.field_of_action),
            selectinload(Indicator.measures),
        )
        .order_by(Indicator.code)
    )
    return list(session.scalars(query))


def indicators_by_owner(*, session: Session, municipality_id: int) -> dict[int, list[Indicator]]:
    """The indicators that have an owner, grouped by owner id, by code."""
    query = (
        select(Indicator)
        .where(Indicator.municipality_id == municipality_id, Indicator.owner_id.is_not(None))
        .order_by(Indicator.owner_id, Indicator.code)
    )
    grouped: dict[int, list[Indicator]] = {}
    for indicator in session.scalars(query):
        owner_id = required(indicator.owner_id, "the owner of an indicator asked for")
        grouped.setdefault(owner_id, []).append(indicator)
    return grouped


def append_value(
    *,
    session: Session,
    indicator: Indicator,
    measured_on: date,
    value: Decimal,
    source: str,
    recorded_by: str,
    at: datetime | None = None,
) -> IndicatorValue:
    """Add a measured value to the indicator's history."""
    row = IndicatorValue(
        indicator_id=indicator.id,
        measured_on=measured_on,
        value=value,
        source=source,
        recorded_by=recorded_by,
        recorded_at=at or utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def facts_of(indicator: Indicator) -> IndicatorFacts:
    """What the judgement needs of a loaded indicator (targets and values loaded)."""
    return IndicatorFacts(
        direction=indicator.direction,
        baseline=Point(on=indicator.baseline_on, value=indicator.baseline_value),
        targets=[Point(on=t.due_on, value=t.value) for t in indicator.targets],
        values=[Point(on=v.measured_on, value=v.value) for v in indicator.values],
    )
