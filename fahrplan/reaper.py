"""Stops Prefect's temporary server once the command that started it is gone.

Run as `python -m fahrplan.reaper COMMAND_PID SERVER_PID` by the command (see
fahrplan/flow_runs.py), whose child it is: when the command ends in any way, even by `kill -9`,
this process is handed to another parent, and it stops the server, first asking, then forcing.
When the server ends on its own, as at every normal exit, it ends too. Only the standard
library, so it watches from the first moment.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

POLL_SECONDS = 0.2
GRACE_SECONDS = 5.0


def alive(pid: int) -> bool:
    """Whether a process with this id exists (a zombie not yet collected counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop(pid: int) -> None:
    """SIGTERM, and SIGKILL when the process has not ended after the grace period."""
    with_signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    if alive(pid):
        with_signal(pid, signal.SIGKILL)


def with_signal(pid: int, number: signal.Signals) -> None:
    """Send a signal to a process that may have ended meanwhile."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def watch(command: int, server: int) -> None:
    """Stop the server when this process's parent is no longer the command."""
    while alive(server):
        if os.getppid() != command:
            stop(server)
            return
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    watch(command=int(sys.argv[1]), server=int(sys.argv[2]))
