"""Sending a batch exactly once: every message is claimed in the ledger before it goes out."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.base import utcnow
from models.db import session_scope
from models.enums import NotificationOutcome
from models.notification import Notification
from models.settings import get_settings
from notify.channels import AppriseChannel, Channel, OutboxChannel
from notify.message import Message

# Keys looked up per query when claiming; well below every database's parameter limit.
CLAIM_CHUNK = 500


class Delivery(BaseModel):
    """What became of a batch: keys sent now, keys already sent before, failures by recipient."""

    sent: list[str] = Field(default_factory=list)
    already_sent: list[str] = Field(default_factory=list)
    failed: dict[str, str] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every message of the batch has been delivered by now."""
        return not self.failed


def configured_channel() -> Channel:
    """Apprise e-mail when FAHRPLAN_MAIL_URL is set, else the outbox folder."""
    settings = get_settings()
    if settings.mail_url is not None:
        return AppriseChannel(settings.mail_url.get_secret_value())
    return OutboxChannel(settings.outbox_dir)


def _ledger_row(message: Message) -> Notification:
    return Notification(
        idempotency_key=message.key,
        **message.model_dump(
            include={"kind", "municipality_id", "period_code", "person_id", "recipient"}
        ),
        on_date=message.on_date,
        subject=message.subject[:300],
        attempts=0,
    )


def _claim_rows(session: Session, messages: list[Message], channel: Channel) -> set[str]:
    keys = [message.key for message in messages]
    rows = {
        row.idempotency_key: row
        for start in range(0, len(keys), CLAIM_CHUNK)
        for row in session.scalars(
            select(Notification).where(
                Notification.idempotency_key.in_(keys[start : start + CLAIM_CHUNK])
            )
        )
    }
    claimed = set()
    for message in messages:
        row = rows.get(message.key)
        if row is None:
            row = rows[message.key] = _ledger_row(message)
            session.add(row)
        if row.outcome is NotificationOutcome.SENT or message.key in claimed:
            continue
        row.channel = channel.name
        row.attempts += 1
        claimed.add(message.key)
    return claimed


def _claim(messages: list[Message], channel: Channel) -> set[str]:
    """Enter the messages in the ledger, committed before any is sent; the keys to send now.

    One transaction for the whole batch; when another run claimed some of them in the same
    instant, each message is claimed on its own so that only those are left out.
    """
    try:
        with session_scope(actor="notify") as session:
            return _claim_rows(session, messages, channel)
    except IntegrityError:
        claimed: set[str] = set()
        for message in messages:
            try:
                with session_scope(actor="notify") as session:
                    claimed |= _claim_rows(session, [message], channel)
            except IntegrityError:
                continue
        return claimed


def _record(message: Message, *, error: str | None) -> None:
    """Write the outcome right after the attempt, so a crash can repeat at most one message."""
    with session_scope(actor="notify") as session:
        session.execute(
            update(Notification)
            .where(Notification.idempotency_key == message.key)
            .values(
                outcome=NotificationOutcome.FAILED if error else NotificationOutcome.SENT,
                error=error or "",
                sent_at=None if error else utcnow(),
            )
        )


def dispatch(messages: Iterable[Message], *, channel: Channel | None = None) -> Delivery:
    """Send each message not sent before; one failure does not stop the others."""
    channel = channel or configured_channel()
    batch = list(messages)
    claimed = _claim(batch, channel) if batch else set()
    delivery = Delivery()
    try:
        for message in batch:
            if message.key not in claimed:
                delivery.already_sent.append(message.key)
                continue
            claimed.discard(message.key)  # the same message twice in a batch goes out once
            _send(channel, message, delivery)
    finally:
        channel.close()
    return delivery


def _send(channel: Channel, message: Message, delivery: Delivery) -> None:
    try:
        channel.send(message)
    except Exception as error:  # one recipient's failure must not stop the batch
        _record(message, error=str(error) or type(error).__name__)
        delivery.failed[message.recipient] = str(error)
        return
    _record(message, error=None)
    delivery.sent.append(message.key)
