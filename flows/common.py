"""What every gathering flow shares: which failures are worth a retry, and the run's artifact."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import task
from prefect.artifacts import create_table_artifact
from sqlalchemy.exc import OperationalError

from flows.status.asking import Outcome, municipality_ids

RETRY_DELAYS: list[float] = [2, 10, 30]


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
    rows = [contact.model_dump() for contact in outcome.contacts] or [
        {"action": "nothing to send", "detail": "nothing due that had not gone out before"}
    ]
    create_table_artifact(table=rows, key=key.lower(), description=f"**{title}**: {counts}{before}")


def day_parameter(value: Any) -> date | None:
    """A run's `on` parameter as a date (the API may hand it back as text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
