"""The ledger of intended messages: one row per message, so a re-run never sends twice.

A run claims a row before it sends the message: one UPDATE that sets `claimed_by` and
`claimed_at` only where the message is not sent and nobody else holds an unexpired claim,
returning what it claimed (on PostgreSQL over rows locked with SKIP LOCKED, so concurrent
runs pass each other instead of waiting). The database decides who sends, never a read
before the write. A claim is a lease: when its run dies before recording the outcome, the
row comes back to the next run once the lease has run out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow
from models.db import insert_or_ignore
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
    # The run that is sending this message now, and since when; empty when nobody is.
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None]


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


def enter_messages(*, session: Session, rows: list[dict[str, Any]]) -> None:
    """Enter these intended messages in the ledger; rows whose key is there already stay."""
    if rows:
        session.execute(insert_or_ignore(session, Notification, unique=["idempotency_key"]), rows)


def _claimable(keys: list[str], now: datetime, lease: timedelta) -> list[ColumnElement[bool]]:
    return [
        Notification.idempotency_key.in_(keys),
        Notification.outcome != NotificationOutcome.SENT,
        or_(Notification.claimed_at.is_(None), Notification.claimed_at <= now - lease),
    ]


def claim(
    *,
    session: Session,
    keys: list[str],
    claimer: str,
    channel: str,
    now: datetime,
    lease: timedelta,
) -> set[str]:
    """Claim those of these messages that are not sent and not claimed by a live lease.

    Returns the keys claimed; every other key is sent already or held by another run.
    """
    if not keys:
        return set()
    free = (
        select(Notification.id)
        .where(*_claimable(keys, now, lease))
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Notification)
        .where(Notification.id.in_(free))
        .values(
            claimed_by=claimer,
            claimed_at=now,
            channel=channel,
            attempts=Notification.attempts + 1,
        )
        .returning(Notification.idempotency_key)
        .execution_options(synchronize_session=False)
    )
    return set(session.scalars(statement))


def renew_claims(*, session: Session, keys: list[str], claimer: str, now: datetime) -> set[str]:
    """Extend this run's claims on these unsent messages; the keys it still holds."""
    if not keys:
        return set()
    statement = (
        update(Notification)
        .where(
            Notification.idempotency_key.in_(keys),
            Notification.claimed_by == claimer,
            Notification.outcome != NotificationOutcome.SENT,
        )
        .values(claimed_at=now)
        .returning(Notification.idempotency_key)
        .execution_options(synchronize_session=False)
    )
    return set(session.scalars(statement))


def record_sent(*, session: Session, key: str, at: datetime, subject: str) -> None:
    """The message went out: sent, whoever holds the claim now (that is the truth)."""
    session.execute(
        update(Notification)
        .where(
            Notification.idempotency_key == key,
            Notification.outcome != NotificationOutcome.SENT,
        )
        .values(
            outcome=NotificationOutcome.SENT,
            error="",
            sent_at=at,
            subject=subject[:300],
            claimed_by=None,
            claimed_at=None,
        )
        .execution_options(synchronize_session=False)
    )


def record_failed(*, session: Session, key: str, claimer: str, error: str) -> None:
    """The attempt failed; the claim is let go so that the next run tries again.

    Only while this run holds the claim: a run whose lease ran out must not mark as failed a
    message that another run has sent since.
    """
    session.execute(
        update(Notification)
        .where(
            Notification.idempotency_key == key,
            Notification.claimed_by == claimer,
            Notification.outcome != NotificationOutcome.SENT,
        )
        .values(outcome=NotificationOutcome.FAILED, error=error, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def release(*, session: Session, keys: list[str], claimer: str) -> None:
    """Give back claims on messages this run did not try after all: they stay as they were
    (pending, or failed before), and their claim does not count as an attempt."""
    if not keys:
        return
    session.execute(
        update(Notification)
        .where(
            Notification.idempotency_key.in_(keys),
            Notification.claimed_by == claimer,
            Notification.outcome != NotificationOutcome.SENT,
        )
        .values(claimed_by=None, claimed_at=None, attempts=Notification.attempts - 1)
        .execution_options(synchronize_session=False)
    )
