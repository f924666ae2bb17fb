"""Sending a batch exactly once: every message is claimed in the ledger before it goes out.

Any number of runs may dispatch the same messages at once (two workers, a manual run beside a
scheduled one, a retry beside a re-run): each message is entered in the ledger once, claimed
by exactly one run (`models.notification.claim`), and sent by that run. Claims are taken a
chunk at a time, so concurrent runs share the work, and renewed before they could run out.
A channel that fails several times in a row is given up for the run: its remaining messages
stay pending, and the run says why.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterable
from datetime import timedelta

from pydantic import BaseModel, Field

from models.base import utcnow
from models.db import session_scope
from models.notification import (
    claim,
    enter_messages,
    record_failed,
    record_sent,
    release,
    renew_claims,
    sent_keys,
)
from models.settings import Settings, get_settings
from notify.channels import AppriseChannel, Channel, MailTimeouts, OutboxChannel, RecipientError
from notify.message import Draft, Message

# Rows entered per statement; well below every database's parameter limit.
ENTER_CHUNK = 500
# Messages claimed at once: small enough that concurrent runs share a batch, large enough
# that claiming costs little beside sending.
CLAIM_CHUNK = 25


class Delivery(BaseModel):
    """What became of a batch in this run.

    `sent`: sent now; `already_sent`: sent before; `elsewhere`: being sent by another run
    that holds the claim; `failed`: recipient → why; `pending`: not tried, because the
    channel was given up (`stopped` says why); the next run sends them.
    """

    sent: list[str] = Field(default_factory=list)
    already_sent: list[str] = Field(default_factory=list)
    elsewhere: list[str] = Field(default_factory=list)
    failed: dict[str, str] = Field(default_factory=dict)
    pending: list[str] = Field(default_factory=list)
    stopped: str = ""

    @property
    def ok(self) -> bool:
        """Whether nothing of the batch failed or was left for later by this run."""
        return not self.failed and not self.stopped


class DeliveryRules(BaseModel):
    """How long a claim holds, and after how many failures in a row a channel is given up."""

    lease_seconds: float = 600.0
    failure_limit: int = 3

    @classmethod
    def of(cls, settings: Settings) -> DeliveryRules:
        """The rules as configured."""
        return cls(
            lease_seconds=settings.message_lease_seconds,
            failure_limit=settings.mail_failure_limit,
        )


def mail_timeouts(settings: Settings) -> MailTimeouts:
    """The configured timeouts of the mail server."""
    return MailTimeouts(
        connect=settings.mail_connect_timeout,
        read=settings.mail_read_timeout,
        total=settings.mail_total_timeout,
    )


def configured_channel() -> Channel:
    """Apprise e-mail when FAHRPLAN_MAIL_URL is set, else the outbox folder."""
    settings = get_settings()
    if settings.mail_url is not None:
        return AppriseChannel(settings.mail_url.get_secret_value(), mail_timeouts(settings))
    return OutboxChannel(settings.outbox_dir)


def _ledger_row(item: Message | Draft) -> dict[str, object]:
    return {
        "idempotency_key": item.key,
        "kind": item.kind,
        "municipality_id": item.municipality_id,
        "period_code": item.period_code,
        "person_id": item.person_id,
        "recipient": item.recipient,
        "on_date": item.on_date,
        # A draft's subject is known once it is written, and recorded when it is sent.
        "subject": item.subject[:300] if isinstance(item, Message) else "",
        "attempts": 0,
    }


def _enter(batch: list[Message | Draft]) -> None:
    """Enter the messages in the ledger, committed before any of them is sent."""
    for start in range(0, len(batch), ENTER_CHUNK):
        with session_scope(actor="notify") as session:
            rows = [_ledger_row(message) for message in batch[start : start + ENTER_CHUNK]]
            enter_messages(session=session, rows=rows)


class _Run:
    """One dispatch: its name in the ledger, its channel and what became of each message."""

    def __init__(self, channel: Channel, rules: DeliveryRules) -> None:
        self.channel, self.rules = channel, rules
        self.claimer = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.lease = timedelta(seconds=rules.lease_seconds)
        self.delivery = Delivery()
        self.failures_in_a_row = 0

    def claim(self, keys: list[str]) -> tuple[set[str], float]:
        """Claim these keys; those not claimed are sorted into sent before or elsewhere."""
        with session_scope(actor="notify") as session:
            claimed = claim(
                session=session,
                keys=keys,
                claimer=self.claimer,
                channel=self.channel.name,
                now=utcnow(),
                lease=self.lease,
            )
        self._sort_unclaimed([key for key in keys if key not in claimed])
        return claimed, time.monotonic()

    def _sort_unclaimed(self, keys: list[str]) -> None:
        if not keys:
            return
        with session_scope(actor="notify") as session:
            sent = sent_keys(session=session, keys=keys)
        for key in keys:
            (self.delivery.already_sent if key in sent else self.delivery.elsewhere).append(key)

    def renew(self, keys: list[str]) -> tuple[set[str], float]:
        """Extend the claims on keys not sent yet; a claim lost meanwhile is left to its run."""
        with session_scope(actor="notify") as session:
            kept = renew_claims(session=session, keys=keys, claimer=self.claimer, now=utcnow())
        self.delivery.elsewhere += [key for key in keys if key not in kept]
        return kept, time.monotonic()

    def release(self, keys: list[str]) -> None:
        """Give back claims on messages this run will not try."""
        with session_scope(actor="notify") as session:
            release(session=session, keys=keys, claimer=self.claimer)

    @property
    def given_up(self) -> bool:
        return bool(self.delivery.stopped)

    def send(self, item: Message | Draft) -> None:
        """Write (a draft) and send one claimed message, and record the outcome at once, so
        that a crash can repeat at most the message in flight."""
        try:
            message = item if isinstance(item, Message) else item.message()
            self.channel.send(message)
        except Exception as error:  # one recipient's failure must not stop the batch
            self._failed(item, error)
            return
        with session_scope(actor="notify") as session:
            record_sent(session=session, key=message.key, at=utcnow(), subject=message.subject)
        self.delivery.sent.append(message.key)
        self.failures_in_a_row = 0

    def _failed(self, message: Message | Draft, error: Exception) -> None:
        reason = str(error) or type(error).__name__
        with session_scope(actor="notify") as session:
            record_failed(session=session, key=message.key, claimer=self.claimer, error=reason)
        self.delivery.failed[message.recipient] = reason
        if isinstance(error, RecipientError):
            return
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= self.rules.failure_limit:
            self.delivery.stopped = (
                f"{self.channel.name} given up after {self.failures_in_a_row} failures in a "
                f"row, the last: {reason}"
            )


def dispatch(
    messages: Iterable[Message | Draft],
    *,
    channel: Channel | None = None,
    rules: DeliveryRules | None = None,
) -> Delivery:
    """Send each message not sent before, exactly once across concurrent runs; one failure
    does not stop the others, a channel failing again and again does (see `Delivery`). A
    draft is written only when this run has claimed it."""
    channel = channel or configured_channel()
    rules = rules or DeliveryRules.of(get_settings())
    unique: dict[str, Message | Draft] = {}
    for message in messages:
        unique.setdefault(message.key, message)  # the same message twice goes out once
    batch = list(unique.values())
    run = _Run(channel, rules)
    try:
        _enter(batch)
        for start in range(0, len(batch), CLAIM_CHUNK):
            _send_chunk(run, batch[start : start + CLAIM_CHUNK])
    finally:
        channel.close()
    run.delivery.pending.sort()
    return run.delivery


def _send_chunk(run: _Run, chunk: list[Message | Draft]) -> None:
    """Claim a chunk and send what this run got; unsent claims are given back on the way out."""
    if run.given_up:
        run.delivery.pending += [message.key for message in chunk]
        return
    claimed, since = run.claim([message.key for message in chunk])
    try:
        for message in chunk:
            if message.key not in claimed:
                continue
            if run.given_up:
                run.delivery.pending.append(message.key)
                continue
            if time.monotonic() - since > run.rules.lease_seconds / 2:
                claimed, since = run.renew([m.key for m in chunk if m.key in claimed])
                if message.key not in claimed:
                    continue
            claimed.discard(message.key)
            run.send(message)
    finally:
        run.release(sorted(claimed))
