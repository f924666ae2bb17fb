"""A run that the one-at-a-time limit cancels says in its log and state which run held the slot."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.client.schemas.objects import State
from prefect.states import Cancelled, Pending

from deployments import TAGS
from fahrplan.cancelled_runs import LIMIT_REACHED, explain_cancelled_runs
from fahrplan.deploy_commands import runner_deployments

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_run_cancelled_by_the_limit_says_which_run_held_the_slot(
    prefect_harness: None,
) -> None:
    deployment = next(d for d in runner_deployments() if d.name == "deadlines")
    # apply() is synchronous outside an event loop, as here.
    deployment_id = cast(UUID, deployment.apply())
    with get_client(sync_client=True) as client:
        scheduled, manual = (
            client.create_flow_run_from_deployment(deployment_id, parameters={"on": "2026-12-01"})
            for _ in range(2)
        )
        try:
            held: State[Any] | None = client.set_flow_run_state(scheduled.id, Pending()).state
            assert held is not None and held.is_pending()
            refused: State[Any] | None = client.set_flow_run_state(manual.id, Pending()).state
            assert refused is not None and refused.is_cancelled()
            assert client.read_flow_run(manual.id).state.message == LIMIT_REACHED  # type: ignore[union-attr]

            explained = explain_cancelled_runs(client, tags=TAGS, zone=BERLIN)
            assert manual.id in explained and scheduled.id not in explained
            state = client.read_flow_run(manual.id).state
            assert state is not None and state.is_cancelled()
            assert state.message is not None
            assert f"'{scheduled.name}' (Pending since" in state.message
            assert "one run at a time" in state.message and manual.name in state.message
            logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[manual.id])))
            assert [log.message for log in logs] == [state.message]
            assert explain_cancelled_runs(client, tags=TAGS, zone=BERLIN) == []
        finally:
            client.set_flow_run_state(scheduled.id, Cancelled(), force=True)
