"""OZG services (Onlinezugangsgesetz) with their maturity under either model."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.audit import Audited
from models.base import Base, Timestamped
from models.enums import MaturityModel, db_enum
from models.measure import Measure


class OzgService(Audited, Timestamped, Base):
    """An administrative service to be offered online, and how mature it is."""

    __tablename__ = "ozg_service"
    __table_args__ = (
        UniqueConstraint("municipality_id", "ozg_id"),
        CheckConstraint("maturity_current >= 0 AND maturity_target >= 0", name="maturity_levels"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    # The OZG id (e.g. "10218") or the LeiKa key (e.g. "99050012104000").
    ozg_id: Mapped[str] = mapped_column(String(32))
    leika_key: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    topic_field: Mapped[str] = mapped_column(String(200), default="")
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"))
    maturity_model: Mapped[MaturityModel] = mapped_column(
        db_enum(MaturityModel), default=MaturityModel.V1_1
    )
    maturity_current: Mapped[int] = mapped_column(default=0)
    maturity_target: Mapped[int] = mapped_column(default=3)
    # When the target maturity is due; the OZG's legal deadline where nothing else is agreed.
    deadline_on: Mapped[date | None]

    measure: Mapped[Measure | None] = relationship()


def ozg_services_of(*, session: Session, municipality_id: int) -> list[OzgService]:
    """All OZG services of a municipality, by OZG id."""
    query = (
        select(OzgService)
        .where(OzgService.municipality_id == municipality_id)
        .order_by(OzgService.ozg_id)
    )
    return list(session.scalars(query))
