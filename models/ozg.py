"""OZG services (Onlinezugangsgesetz) with their maturity under either model."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column, relationship

from models.audit import Audited
from models.base import Base, Timestamped
from models.enums import MaturityModel, db_enum
from models.errors import UserError
from models.legal import (
    OZG_DEADLINE_ON,
    MaturityLevel,
    is_compliant,
    maturity_level,
    maturity_problems,
)
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

    @property
    def current_level(self) -> MaturityLevel:
        """The current maturity as a named level of the service's model."""
        return maturity_level(self.maturity_model, self.maturity_current)

    @property
    def target_level(self) -> MaturityLevel:
        """The target maturity as a named level of the service's model."""
        return maturity_level(self.maturity_model, self.maturity_target)

    @property
    def is_compliant(self) -> bool:
        """Whether the service counts as OZG-compliant under its model (see models.legal)."""
        return is_compliant(self.maturity_model, self.maturity_current)

    @property
    def due_on(self) -> date:
        """When the target maturity is due: the agreed date, else the OZG's legal deadline."""
        return self.deadline_on or OZG_DEADLINE_ON

    def is_overdue(self, on: date) -> bool:
        """Below its target maturity after its deadline."""
        return self.maturity_current < self.maturity_target and self.due_on < on


class MaturityError(UserError, ValueError):
    """A maturity level the service's model does not have."""


@event.listens_for(OzgService, "before_insert")
@event.listens_for(OzgService, "before_update")
def _refuse_levels_outside_the_model(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    # Checked at flush, when the model and both levels are known whatever order they were set in.
    model = MaturityModel(target.maturity_model or MaturityModel.V1_1)
    current = 0 if target.maturity_current is None else target.maturity_current
    target_level = 3 if target.maturity_target is None else target.maturity_target
    problems = maturity_problems(model, current=current, target=target_level)
    if problems:
        raise MaturityError(f"OZG service {target.ozg_id}: {'; '.join(problems)}")


def ozg_services_of(*, session: Session, municipality_id: int) -> list[OzgService]:
    """All OZG services of a municipality, by OZG id."""
    query = (
        select(OzgService)
        .where(OzgService.municipality_id == municipality_id)
        .order_by(OzgService.ozg_id)
    )
    return list(session.scalars(query))
