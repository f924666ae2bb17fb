"""One message to one recipient, rendered and ready to send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from models.notification import idempotency_key


class Message(BaseModel):
    """A rendered message; `key` makes it unique in the Notification ledger."""

    kind: str
    municipality_id: int
    period_code: str | None = None
    person_id: int | None = None
    recipient: str
    on_date: date
    subject: str
    text: str
    html: str
    attachments: list[Path] = Field(default_factory=list)
    # Further Apprise targets of this recipient (Matrix, Teams, a webhook, …).
    apprise_urls: list[str] = Field(default_factory=list)

    @property
    def key(self) -> str:
        """The idempotency key: kind, municipality, period, recipient, day."""
        return idempotency_key(
            kind=self.kind,
            municipality_id=self.municipality_id,
            period=self.period_code,
            recipient=self.recipient,
            day=self.on_date,
        )


class Written(Protocol):
    """What writing a message gives: its subject and bodies."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Draft:
    """A message written only once a run has claimed it in the ledger (`notify.dispatch`):
    who and what now, subject and bodies from `write` then. Of several runs at once, each
    writes only the messages it sends. `write` must be pure: pydantic in, text out."""

    kind: str
    municipality_id: int
    period_code: str | None
    person_id: int | None
    recipient: str
    on_date: date
    write: Callable[[], Written]
    apprise_urls: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The idempotency key, as that of the message it becomes."""
        return idempotency_key(
            kind=self.kind,
            municipality_id=self.municipality_id,
            period=self.period_code,
            recipient=self.recipient,
            day=self.on_date,
        )

    def message(self) -> Message:
        """The message, written now."""
        written = self.write()
        return Message(
            kind=self.kind,
            municipality_id=self.municipality_id,
            period_code=self.period_code,
            person_id=self.person_id,
            recipient=self.recipient,
            on_date=self.on_date,
            subject=written.subject,
            text=written.text,
            html=written.html,
            apprise_urls=list(self.apprise_urls),
        )
