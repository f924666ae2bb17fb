"""The ledger of intended messages: one row per message, so a re-run never sends twice."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow
from models.enums import NotificationOutcome, db_enum


class Notification(Base):
    """One message we mean to send, keyed by (kind, municipality, period, recipient, day)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    period_code: Mapped[str | None] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(String(254))
    on_date: Mapped[date]
    channel: Mapped[str] = mapped_column(String(40), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[NotificationOutcome] = mapped_column(
        db_enum(NotificationOutcome), default=NotificationOutcome.PENDING
    )
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


def idempotency_key(
    *, kind: str, municipality_id: int, period: str | None, recipient: str, day: date
) -> str:
    """The key that makes one message unique: kind, municipality, period, recipient, day.

    The municipality is part of it because one person (a district's coordinator, say) can
    receive the same kind of message from several municipalities on one day.
    """
    return f"{kind}|{municipality_id}|{period or '-'}|{recipient.lower()}|{day.isoformat()}"


def notification_by_key(*, session: Session, key: str) -> Notification | None:
    """The ledger row for this idempotency key, if the message was ever intended."""
    return session.scalar(select(Notification).where(Notification.idempotency_key == key))


def sent_keys(*, session: Session, keys: list[str]) -> dict[str, datetime]:
    """Of these idempotency keys, those whose message went out, with when it did."""
    if not keys:
        return {}
    query = select(Notification.idempotency_key, Notification.sent_at).where(
        Notification.idempotency_key.in_(keys),
        Notification.outcome == NotificationOutcome.SENT,
    )
    return {key: sent_at or utcnow() for key, sent_at in session.execute(query)}
