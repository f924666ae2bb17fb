"""How a command runs a flow: with a temporary server that dies with it, and a failure that
names the run and its reason.

Without PREFECT_API_URL, Prefect starts a temporary server in a child process and stops it
when the command exits. A command that is killed never reaches that exit and would leave the
server running, holding its port and database; a reaper (fahrplan/reaper.py) stops it then.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, TypeVar, cast

from prefect import Flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import State
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL

from fahrplan.failures import FlowRunError

R = TypeVar("R")


class TemporaryServerError(ConnectionError):
    """Prefect's temporary server did not start: the machine's to fix, not the program's."""


class TiedServer(SubprocessASGIServer):
    """Prefect's temporary server with a reaper that stops it when this process is gone."""

    def start(self, timeout: int | None = None) -> None:
        try:
            super().start(timeout)
        except RuntimeError as error:
            raise TemporaryServerError(
                f"Prefect's temporary server did not start: {error} (set PREFECT_API_URL to a "
                "running Prefect server, or allow it longer with "
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)"
            ) from error

    def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
        server = super()._run_uvicorn_command()
        subprocess.Popen(  # noqa: S603 (our own module, with process ids)
            [sys.executable, "-m", "fahrplan.reaper", str(os.getpid()), str(server.pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Outside the terminal's process group, so Ctrl-C leaves it to watch the server.
            start_new_session=True,
        )
        return server


def tie_temporary_server() -> None:
    """Make the temporary server Prefect starts for this command a TiedServer."""
    if PREFECT_API_URL.value():
        return
    # Prefect looks its temporary server up under the port None (its own test harness
    # registers a server there the same way); creating ours first puts it in that place.
    TiedServer()


def run_flow(flow: Flow[..., R], /, **parameters: Any) -> R:
    """The flow's result; FlowRunError naming the run when it did not complete."""
    state = cast(State[R], flow(**parameters, return_state=True))
    # `_sync`: a command is never async, whatever run context a flow may have left behind.
    if state.is_completed():
        return state.result(_sync=True)  # type: ignore[call-overload, no-any-return]
    reason = state.result(raise_on_failure=False, _sync=True)  # type: ignore[call-overload]
    if not isinstance(reason, BaseException):
        reason = RuntimeError(state.message or state.name)
    raise FlowRunError(_run_name(state, fallback=flow.name), reason)


def _run_name(state: State[Any], *, fallback: str) -> str:
    run_id = state.state_details.flow_run_id
    if run_id is None:
        return fallback
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id).name or fallback
