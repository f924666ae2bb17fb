"""People who own measures or coordinate, and the committee that receives reports."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.audit import Audited
from models.base import Base, Timestamped


class Person(Audited, Timestamped, Base):
    """A member of staff: measure owner, deputy or coordinator."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("municipality_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    org_unit: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="de")
    # Coordinators (the *Stabsstelle Digitalisierung*) receive escalations and summaries.
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # Apprise URLs beyond e-mail (Matrix, Teams, …); e-mail to `email` is always the default.
    apprise_urls: Mapped[list[str]] = mapped_column(JSON, default=list)

    deputy: Mapped[Person | None] = relationship(remote_side=[id])


class Committee(Audited, Timestamped, Base):
    """The council committee that receives the quarterly report."""

    __tablename__ = "committee"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    apprise_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The committee's Organization in the council information system (OParl 1.1), whose
    # meeting list supplies dates beside the typed ones (see models/meeting.py).
    oparl_url: Mapped[str | None] = mapped_column(String(2000))

    meetings: Mapped[list[CommitteeMeeting]] = relationship(
        back_populates="committee",
        order_by="CommitteeMeeting.meets_on",
        cascade="all, delete-orphan",
    )


class CommitteeMeeting(Audited, Base):
    """One meeting date of a committee, as typed into the catalogue."""

    __tablename__ = "committee_meeting"
    __table_args__ = (UniqueConstraint("committee_id", "meets_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"))
    meets_on: Mapped[date]

    committee: Mapped[Committee] = relationship(back_populates="meetings")


def person_by_email(*, session: Session, municipality_id: int, email: str) -> Person | None:
    """The person with this e-mail address (case-insensitive) in the municipality."""
    query = select(Person).where(
        Person.municipality_id == municipality_id, func.lower(Person.email) == email.lower()
    )
    return session.scalar(query)


def coordinators_of(*, session: Session, municipality_id: int) -> list[Person]:
    """The municipality's coordinators, by name."""
    query = (
        select(Person)
        .where(Person.municipality_id == municipality_id, Person.is_coordinator.is_(True))
        .order_by(Person.name)
    )
    return list(session.scalars(query))


def people_of(*, session: Session, municipality_id: int) -> list[Person]:
    """Everyone in the municipality, by name."""
    query = select(Person).where(Person.municipality_id == municipality_id).order_by(Person.name)
    return list(session.scalars(query))


def committees_of(*, session: Session, municipality_id: int) -> list[Committee]:
    """The municipality's committees, by name."""
    query = (
        select(Committee)
        .where(Committee.municipality_id == municipality_id)
        .order_by(Committee.name)
    )
    return list(session.scalars(query))
