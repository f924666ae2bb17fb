"""Flow `status-request`: open the period and ask every owner with open measures, once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.runtime import flow_run
from pydantic import Field

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
from flows.status import asking
from models.calendar import is_first_working_day_of_month
from models.settings import Settings, get_settings, secret_key_bytes
from models.status.tables import period_bounds, period_code_of

PeriodCode = Annotated[
    str,
    Field(pattern=r"^\d{4}-Q[1-4]$", description="Quarter such as 2026-Q3; empty: the current one"),
]


def current_period(zone: ZoneInfo, on: date | None = None) -> str:
    """The quarter of this day, or of today in the local time zone."""
    return period_code_of(on or local_today(zone))


def _run_name() -> str:
    parameters = flow_run.parameters
    period = parameters.get("period") or current_period(
        get_settings().zone, day_parameter(parameters.get("on"))
    )
    return f"status-request-{period}"


@task(
    retries=3, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient, persist_result=False
)
def ask_owners(municipality_id: int, period_code: str, at: datetime) -> Outcome:
    """Open the period, create the missing requests and send those not sent yet, in one batch.

    One task run per municipality, not one per step: each task run costs the Prefect server
    and client more than a town's worth of work at district scale (see benchmarks/), and both
    steps are idempotent, so a retry may safely repeat the first.
    """
    period_id = asking.prepare_requests(
        municipality_id=municipality_id, period_code=period_code, at=at
    )
    return asking.send_requests(period_id=period_id, at=at)


def _not_the_day(on: date | None, settings: Settings) -> bool:
    today = on or local_today(settings.zone)
    return not is_first_working_day_of_month(today, state=settings.federal_state)


@flow(name="status-request", flow_run_name=_run_name)
def status_request(
    period: PeriodCode | None = None,
    on: date | None = None,
    first_working_day_only: bool = False,
) -> Outcome:
    """Ask every owner with open measures for their status in this period (default: current).

    The schedule starts it on several weekdays; with `first_working_day_only` it acts only on
    the month's first working day, so a public holiday on the 1st moves the requests too.
    """
    settings = get_settings()
    at = run_instant(on, settings.zone)
    code = period or current_period(settings.zone, on)
    period_bounds(code)  # refuses a malformed code before anything is written
    secret_key_bytes(settings)  # so does a missing key, which the calendar links need
    outcome = Outcome()
    if first_working_day_only and _not_the_day(on, settings):
        publish(outcome, key=f"status-request-{code}", title=f"Status request {code}: not the day")
        return outcome
    for municipality_id in list_municipalities():
        outcome = outcome.merged(ask_owners(municipality_id, code, at))
    publish(outcome, key=f"status-request-{code}", title=f"Status request {code}")
    if outcome.failed:
        raise NotReachedError.of(outcome)
    return outcome
