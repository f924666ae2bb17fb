"""One message to one recipient, rendered and ready to send."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
