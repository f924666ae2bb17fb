"""Flow `remind`: daily reminders to owners who have not answered, then one escalation."""

from __future__ import annotations

from datetime import date, datetime

from prefect import flow, task
from prefect.runtime import flow_run

from flows.common import (
    RETRY_DELAYS,
    NotReachedError,
    Outcome,
    day_parameter,
    list_municipalities,
    local_today,
    publish,
    run_instant,
    transient,
)
from flows.status import chasing
from models.settings import get_settings


def _day(on: date | None) -> date:
    return on or local_today(get_settings().zone)


def _run_name() -> str:
    return f"remind-{_day(day_parameter(flow_run.parameters.get('on'))).isoformat()}"


@task(
    retries=3, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient, persist_result=False
)
def chase_owners(municipality_id: int, at: datetime) -> Outcome:
    """Send the municipality's reminders and escalations due at this instant, in one batch."""
    return chasing.chase_owners(municipality_id=municipality_id, at=at)


@flow(name="remind", flow_run_name=_run_name)
def remind(on: date | None = None) -> Outcome:
    """Remind owners whose answer is missing on their reminder days; escalate after the last."""
    at = run_instant(on, get_settings().zone)
    outcome = Outcome()
    for municipality_id in list_municipalities():
        outcome = outcome.merged(chase_owners(municipality_id, at))
    day = _day(on).isoformat()
    publish(outcome, key=f"remind-{day}", title=f"Reminders {day}")
    if outcome.failed:
        raise NotReachedError.of(outcome)
    return outcome
