"""Sending a batch exactly once: every message is claimed in the ledger before it goes out."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from models.base import utcnow
from models.db import session_scope
from models.enums import NotificationOutcome
from models.notification import Notification, notification_by_key
from models.settings import get_settings
from notify.channels import AppriseChannel, Channel, OutboxChannel
from notify.message import Message


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


def _claim(message: Message, channel: Channel) -> bool:
    """Enter the message in the ledger; False when it was sent before (or is being sent)."""
    try:
        with session_scope(actor="notify") as session:
            row = notification_by_key(session=session, key=message.key)
            if row is None:
                row = Notification(
                    idempotency_key=message.key,
                    **message.model_dump(
                        include={"kind", "municipality_id", "period_code", "person_id", "recipient"}
                    ),
                    on_date=message.on_date,
                    subject=message.subject[:300],
                    attempts=0,
                )
                session.add(row)
            if row.outcome is NotificationOutcome.SENT:
                return False
            row.channel = channel.name
            row.attempts += 1
    except IntegrityError:
        return False  # another run claimed it in the same instant
    return True


def _record(message: Message, *, error: str | None) -> None:
    with session_scope(actor="notify") as session:
        row = notification_by_key(session=session, key=message.key)
        assert row is not None
        row.outcome = NotificationOutcome.FAILED if error else NotificationOutcome.SENT
        row.error = error or ""
        row.sent_at = None if error else utcnow()


def dispatch(messages: Iterable[Message], *, channel: Channel | None = None) -> Delivery:
    """Send each message not sent before; one failure does not stop the others."""
    channel = channel or configured_channel()
    delivery = Delivery()
    for message in messages:
        if not _claim(message, channel):
            delivery.already_sent.append(message.key)
            continue
        try:
            channel.send(message)
        except Exception as error:  # one recipient's failure must not stop the batch
            _record(message, error=str(error) or type(error).__name__)
            delivery.failed[message.recipient] = str(error)
            continue
        _record(message, error=None)
        delivery.sent.append(message.key)
    return delivery
