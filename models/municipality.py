"""Municipalities (tenants) and their strategy: pillars and fields of action."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.audit import Audited
from models.base import Base, Timestamped


class Municipality(Audited, Timestamped, Base):
    """A town served by this installation; everything else belongs to one."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    federal_state: Mapped[str | None] = mapped_column(String(2))
    strategies: Mapped[list[Strategy]] = relationship(back_populates="municipality")


class Strategy(Audited, Timestamped, Base):
    """A council's adopted digital strategy."""

    __tablename__ = "strategy"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    adopted_on: Mapped[date | None]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # A strategy that lists its fields of action makes an unknown field name an import error.
    defines_fields: Mapped[bool] = mapped_column(default=False)

    municipality: Mapped[Municipality] = relationship(back_populates="strategies")
    pillars: Mapped[list[Pillar]] = relationship(
        back_populates="strategy", order_by="Pillar.position"
    )
    fields_of_action: Mapped[list[FieldOfAction]] = relationship(
        back_populates="strategy", order_by="FieldOfAction.position"
    )


class Pillar(Audited, Base):
    """A vision principle of a strategy, such as Meerbusch's *Meer-Daten*."""

    __tablename__ = "pillar"
    __table_args__ = (UniqueConstraint("strategy_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategy.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    strategy: Mapped[Strategy] = relationship(back_populates="pillars")


class FieldOfAction(Audited, Base):
    """A *Handlungsfeld*: digital administration, education, infrastructure, …"""

    __tablename__ = "field_of_action"
    __table_args__ = (UniqueConstraint("strategy_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategy.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    strategy: Mapped[Strategy] = relationship(back_populates="fields_of_action")


def municipality_by_slug(*, session: Session, slug: str) -> Municipality | None:
    """The municipality with this slug, if any."""
    return session.scalar(select(Municipality).where(Municipality.slug == slug))


def all_municipalities(*, session: Session) -> list[Municipality]:
    """Every municipality, by slug."""
    return list(session.scalars(select(Municipality).order_by(Municipality.slug)))


def ensure_municipality(*, session: Session, slug: str, name: str) -> Municipality:
    """The municipality with this slug, created with this name when missing."""
    found = municipality_by_slug(session=session, slug=slug)
    if found is not None:
        return found
    created = Municipality(slug=slug, name=name)
    session.add(created)
    session.flush()
    return created


def current_strategy(*, session: Session, municipality_id: int) -> Strategy | None:
    """The municipality's most recently adopted strategy."""
    query = (
        select(Strategy)
        .where(Strategy.municipality_id == municipality_id)
        .order_by(Strategy.adopted_on.desc().nulls_last(), Strategy.id.desc())
        .limit(1)
    )
    return session.scalar(query)
