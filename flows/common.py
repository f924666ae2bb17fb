"""What every flow shares: the instant and day a run acts for, the municipalities it covers,
what it did (`Outcome`), which failures are worth a retry, and the operator's artifact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo

from prefect import task
from prefect.artifacts import create_table_artifact
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError

from models.base import utcnow
from models.calendar import local_day
from models.db import session_scope
from models.municipality import all_municipalities

# A failure worth a retry (the database or the network gone for a moment) is retried inside
# the run, within seconds. No flow retries itself after minutes: the wait would hold its
# deployment's one-at-a-time slot (deployments/), so an operator's re-run would be cancelled,
# and a process that died meanwhile would leave the run waiting for ever. Every flow is
# idempotent, so the next run, or a re-run, catches up what a failed one left.
RETRY_DELAYS: list[float] = [2, 10, 30]
NAMED_IN_ERROR = 10

Action = Literal["asked", "reminded", "escalated", "not reached"]


class Contact(BaseModel):
    """One line of a run's artifact: who got what."""

    municipality: str
    action: Action
    name: str
    email: str
    measures: int
    detail: str = ""


class Outcome(BaseModel):
    """What a run did; `not_reached` maps a recipient to why their message failed, `stopped`
    says why a channel was given up, leaving `left_pending` messages to the next run."""

    contacts: list[Contact] = Field(default_factory=list)
    asked_before: int = 0
    not_reached: dict[str, str] = Field(default_factory=dict)
    stopped: list[str] = Field(default_factory=list)
    left_pending: int = 0
    # Messages another run held a claim on: it sends and records them.
    elsewhere: int = 0

    @property
    def failed(self) -> bool:
        """Whether the run must fail: someone not reached, or a channel given up."""
        return bool(self.not_reached or self.stopped)

    def count(self, action: Action) -> int:
        """How many contacts of this kind the run made."""
        return sum(1 for contact in self.contacts if contact.action == action)

    def merged(self, other: Outcome) -> Outcome:
        """Both outcomes as one, e.g. over all municipalities."""
        return Outcome(
            contacts=self.contacts + other.contacts,
            asked_before=self.asked_before + other.asked_before,
            not_reached={**self.not_reached, **other.not_reached},
            stopped=self.stopped + other.stopped,
            left_pending=self.left_pending + other.left_pending,
            elsewhere=self.elsewhere + other.elsewhere,
        )


class NotReachedError(Exception):
    """Some recipients were not reached, or a channel was given up (`stopped`, with the
    messages it left pending); the next run retries only them."""

    def __init__(
        self,
        not_reached: Mapping[str, str],
        *,
        stopped: Sequence[str] = (),
        left_pending: int = 0,
    ) -> None:
        self.not_reached = dict(not_reached)
        names = [f"{who} ({why})" for who, why in sorted(self.not_reached.items())]
        more = len(names) - NAMED_IN_ERROR
        shown = "; ".join(names[:NAMED_IN_ERROR]) + (f"; and {more} more" if more > 0 else "")
        causes = [f"{'; '.join(stopped)}; {left_pending} message(s) left pending for the next run"]
        reached = [f"{len(names)} recipient(s) not reached: {shown}"] if names else []
        super().__init__("; ".join((causes if stopped else []) + reached))

    @classmethod
    def of(cls, outcome: Outcome) -> NotReachedError:
        """The error of a run that ended with this outcome."""
        return cls(outcome.not_reached, stopped=outcome.stopped, left_pending=outcome.left_pending)


def run_instant(on: date | None, zone: ZoneInfo) -> datetime:
    """The instant a run acts at: now, or 09:00 local time on a given day (a fake clock)."""
    now = utcnow()
    if on is None or on == local_day(now, zone):
        return now
    return datetime.combine(on, time(9, 0), tzinfo=zone)


def local_today(zone: ZoneInfo, at: datetime | None = None) -> date:
    """The day it is in the local time zone at this instant (now by default)."""
    return local_day(at or utcnow(), zone)


def municipality_ids() -> list[int]:
    """Every municipality the installation serves."""
    with session_scope() as session:
        return [town.id for town in all_municipalities(session=session)]


def transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry when the database or the network failed for a moment, not on a bug or bad data."""
    try:
        state.result()
    except (OperationalError, ConnectionError, TimeoutError):
        return True
    except Exception:
        return False
    return False


@task(
    retries=3, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient, persist_result=False
)
def list_municipalities() -> list[int]:
    """Every municipality this installation serves."""
    return municipality_ids()


def publish(outcome: Outcome, *, key: str, title: str) -> None:
    """Leave a table for the operator: who was asked, reminded, escalated, not reached."""
    counts = ", ".join(
        f"{outcome.count(action)} {action}"
        for action in ("asked", "reminded", "escalated", "not reached")
    )
    before = f"; {outcome.asked_before} asked before" if outcome.asked_before else ""
    if outcome.elsewhere:
        before += f"; {outcome.elsewhere} being sent by another run"
    if outcome.stopped:
        before += f"; {'; '.join(outcome.stopped)}; {outcome.left_pending} left pending"
    rows = [contact.model_dump() for contact in outcome.contacts] or [
        {"action": "nothing to send", "detail": "nothing due that had not gone out before"}
    ]
    create_table_artifact(table=rows, key=key.lower(), description=f"**{title}**: {counts}{before}")


def day_parameter(value: Any) -> date | None:
    """A run's `on` parameter as a date (the API may hand it back as text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
