from __future__ import annotations

import asyncio
import inspect
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from prefect import Task
from prefect.client.schemas.objects import ConcurrencyLimitStrategy
from prefect.client.schemas.schedules import CronSchedule as ClientCron
from prefect.server.schemas.schedules import CronSchedule

from deployments import DECLARATIONS, TIMEZONE, Declaration, declaration
from fahrplan.deploy_commands import load_flow, runner_deployments
from flows.common import transient

BERLIN = ZoneInfo("Europe/Berlin")

EXPECTED = {
    "status-request": "0 8 1-7 3,6,9,12 1-5",
    "remind": "0 8 * * 1-5",
    "deadlines": "0 7 * * *",
    "report": "30 6 * * *",
}


def _next_runs(name: str, start: datetime, count: int) -> list[datetime]:
    found = declaration(name)
    cron = CronSchedule(cron=found.cron, timezone=TIMEZONE, day_or=found.day_or)
    dates = asyncio.run(cron.get_dates(n=count, start=start))
    return [datetime.fromtimestamp(d.timestamp(), BERLIN) for d in dates]


def test_every_flow_is_declared_with_its_cron_in_berlin_time() -> None:
    assert {d.name: d.cron for d in DECLARATIONS} == EXPECTED
    for deployment in runner_deployments():
        (declared,) = deployment.schedules or []
        schedule = declared.schedule
        assert isinstance(schedule, ClientCron)
        assert schedule.timezone == TIMEZONE
        assert schedule.cron == EXPECTED[deployment.name]
        assert deployment.concurrency_options is not None
        assert deployment.concurrency_limit == 1
        assert (
            deployment.concurrency_options.collision_strategy is ConcurrencyLimitStrategy.CANCEL_NEW
        )
        assert deployment.description and "digitalfahrplan" in deployment.tags


@pytest.mark.parametrize("found", DECLARATIONS, ids=lambda d: d.name)
def test_declared_parameters_are_parameters_of_the_flow(found: Declaration) -> None:
    flow = load_flow(found)
    accepted = inspect.signature(flow.fn).parameters
    assert set(found.parameters) <= set(accepted)
    schema = flow.parameters.model_dump()
    assert set(schema["properties"]) == set(accepted)


def test_daily_runs_keep_local_time_across_the_spring_change() -> None:
    runs = _next_runs("deadlines", datetime(2026, 3, 27, 12, tzinfo=UTC), 4)
    assert [(r.day, r.hour, r.minute) for r in runs] == [
        (28, 7, 0),
        (29, 7, 0),
        (30, 7, 0),
        (31, 7, 0),
    ]
    assert runs[1].utcoffset() != runs[0].utcoffset()


def test_weekday_reminders_keep_local_time_across_the_autumn_change() -> None:
    runs = _next_runs("remind", datetime(2026, 10, 22, 12, tzinfo=UTC), 4)
    assert [(r.month, r.day, r.hour) for r in runs] == [
        (10, 23, 8),
        (10, 26, 8),
        (10, 27, 8),
        (10, 28, 8),
    ]


def test_status_requests_run_on_weekdays_of_the_first_week_of_a_quarters_last_month() -> None:
    runs = _next_runs("status-request", datetime(2026, 11, 22, tzinfo=UTC), 6)
    assert [(r.month, r.day, r.hour) for r in runs] == [
        (12, 1, 8),
        (12, 2, 8),
        (12, 3, 8),
        (12, 4, 8),
        (12, 7, 8),
        (3, 1, 8),
    ]


@pytest.mark.parametrize("found", DECLARATIONS, ids=lambda d: d.name)
def test_retries_take_seconds_inside_the_run_and_the_flow_never_waits_to_retry(
    found: Declaration,
) -> None:
    flow = load_flow(found)
    assert flow.retries == 0, "a flow's own retry would hold the deployment's slot while it waits"
    module = sys.modules[flow.fn.__module__]
    tasks = [value for value in vars(module).values() if isinstance(value, Task)]
    assert tasks
    for task in tasks:
        delays = task.retry_delay_seconds or []
        waits = delays if isinstance(delays, list) else [delays] * task.retries
        assert sum(waits[: task.retries]) <= 60, task.name
        if task.retries:
            assert task.retry_condition_fn is transient, f"{task.name} retries even a bug"
