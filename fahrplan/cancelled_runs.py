"""Runs cancelled because their deployment was busy: say so where an operator looks.

Every deployment runs one at a time and cancels a run that would overlap (deployments/).
Prefect leaves such a run with the bare state message "Deployment concurrency limit reached."
and an empty log, so a manual run seems to vanish. While `fahrplan serve` runs, it looks for
those runs every few seconds and writes into each one's log and state message which run held
the slot, and that it can be started again once that run has ended.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import LogCreate
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterDeploymentId,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.states import Cancelled
from pydantic import BaseModel

from models.base import utcnow
from models.errors import required

# Prefect's own words (prefect/server/orchestration/core_policy.py, SecureFlowConcurrencySlots).
LIMIT_REACHED = "Deployment concurrency limit reached."
INTERVAL_SECONDS = 10.0
RECENT_RUNS = 50
BUSY = [StateType.PENDING, StateType.RUNNING, StateType.CANCELLING]

logger = logging.getLogger("fahrplan.serve")


class Holder(BaseModel):
    """A run of the same deployment that held the slot."""

    name: str
    state: str
    since: datetime | None = None


def explanation(*, run_name: str, deployment: str, holders: list[Holder], zone: ZoneInfo) -> str:
    """What a cancelled run's log and state say about why it did not start."""
    if holders:
        held = ", ".join(
            f"'{holder.name}' ({holder.state}"
            + (f" since {holder.since.astimezone(zone):%d.%m.%Y %H:%M}" if holder.since else "")
            + ")"
            for holder in holders
        )
        who = f"run {held} held its slot"
    else:
        who = "another run held its slot (it has ended since)"
    return (
        f"Not started: deployment '{deployment}' runs one run at a time and cancels a run "
        f"that would overlap, and {who}. Start '{run_name}' again once that run has ended."
    )


def explain_cancelled_runs(
    client: SyncPrefectClient, *, tags: list[str], zone: ZoneInfo
) -> list[UUID]:
    """Explain each recent run with these tags that the concurrency limit cancelled and that
    carries only Prefect's bare message; the ids of the runs explained."""
    cancelled = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(
            tags=FlowRunFilterTags(all_=tags),
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.CANCELLED])),
        ),
        sort=FlowRunSort.EXPECTED_START_TIME_DESC,
        limit=RECENT_RUNS,
    )
    explained = []
    for run in cancelled:
        if run.deployment_id is None or run.state is None or run.state.message != LIMIT_REACHED:
            continue
        text = explanation(
            run_name=run.name,
            deployment=client.read_deployment(run.deployment_id).name,
            holders=_holders(client, run),
            zone=zone,
        )
        log = LogCreate(
            name=logger.name,
            level=logging.WARNING,
            message=text,
            timestamp=utcnow(),
            flow_run_id=run.id,
        )
        client.create_logs([log])
        client.set_flow_run_state(run.id, Cancelled(message=text), force=True)
        explained.append(run.id)
    return explained


def _holders(client: SyncPrefectClient, run: FlowRun) -> list[Holder]:
    deployment_id = required(run.deployment_id, "the cancelled run's deployment")
    busy = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=BUSY)),
        ),
        limit=5,
    )
    return [
        Holder(
            name=other.name,
            state=other.state.name if other.state else "running",
            since=other.start_time or (other.state.timestamp if other.state else None),
        )
        for other in busy
        if other.id != run.id
    ]


def keep_explaining(*, tags: list[str], zone: ZoneInfo) -> threading.Thread:
    """A daemon thread that explains cancelled runs every few seconds while the process runs."""

    def loop() -> None:
        while True:
            try:
                with get_client(sync_client=True) as client:
                    explain_cancelled_runs(client, tags=tags, zone=zone)
            except Exception:
                # The API may be away for a moment; the next round tries again.
                logger.warning("could not explain cancelled runs", exc_info=True)
            time.sleep(INTERVAL_SECONDS)

    thread = threading.Thread(target=loop, name="explain-cancelled-runs", daemon=True)
    thread.start()
    return thread
