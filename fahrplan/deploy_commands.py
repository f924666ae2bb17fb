"""Turning the declarations in deployments/ into Prefect deployments: served here or on a pool."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, cast

import prefect
from prefect import Flow, flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from deployments import DECLARATIONS, TAGS, TIMEZONE, Declaration
from fahrplan.cancelled_runs import keep_explaining
from models.settings import get_settings, secret_key_bytes
from portal.server import running_in_thread

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# One run at a time; a run that would overlap a running one is cancelled rather than queued.
ONE_AT_A_TIME = ConcurrencyLimitConfig(
    limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
)


def load_flow(declaration: Declaration) -> Flow[Any, Any]:
    """The flow object behind a declaration's `path/to/file.py:function` entrypoint."""
    path, name = declaration.entrypoint.split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return cast(Flow[Any, Any], getattr(module, name))


def schedule(declaration: Declaration) -> Any:
    """The declaration's cron schedule in local time."""
    return Cron(declaration.cron, timezone=TIMEZONE, day_or=declaration.day_or)


def _options(declaration: Declaration) -> dict[str, Any]:
    return {
        "name": declaration.name,
        "schedule": schedule(declaration),
        "concurrency_limit": ONE_AT_A_TIME,
        "parameters": declaration.parameters,
        "description": declaration.description,
        "tags": declaration.tags,
    }


def runner_deployments() -> list[RunnerDeployment]:
    """Every declared deployment, for serving in this process (`fahrplan serve`)."""
    # to_deployment is sync when called outside an event loop, as here.
    return [cast(RunnerDeployment, load_flow(d).to_deployment(**_options(d))) for d in DECLARATIONS]


def deploy_to_pool(pool: str, *, source: Path = PROJECT_ROOT) -> list[str]:
    """Register every declared deployment on a work pool; workers run the code found at `source`."""
    names = []
    for declaration in DECLARATIONS:
        # from_source is sync when called outside an event loop, as here.
        remote = cast(
            Flow[Any, Any],
            flow.from_source(source=str(source), entrypoint=declaration.entrypoint),
        )
        remote.deploy(work_pool_name=pool, print_next_steps=False, **_options(declaration))
        names.append(f"{remote.name}/{declaration.name}")
    return names


def serve_here(*, host: str, port: int, with_portal: bool) -> None:
    """Run every deployment on its schedule in this process, with the portal beside it, and
    explain in their logs the runs that the one-at-a-time limit cancels."""
    settings = get_settings()
    # The portal and the mails' calendar links need the key: without one in production,
    # fail before anything runs.
    secret_key_bytes(settings)
    deployments = runner_deployments()
    keep_explaining(tags=TAGS, zone=settings.zone)
    if not with_portal:
        prefect.serve(*deployments)
        return
    with running_in_thread(host=host, port=port, log_level="info") as url:
        print(f"portal: {url}", flush=True)
        prefect.serve(*deployments)
