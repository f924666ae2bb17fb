"""Running a work in a child process of its own and reading what it measured.

A process per run keeps the steps apart from the harness and from each other: no warm
caches, no memory left over. How the child measures its memory: see `benchmarks.child`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from benchmarks.child import RESULT_MARK
from benchmarks.work import Context, Counts

ROOT = Path(__file__).resolve().parent.parent


class WorkFailedError(Exception):
    """A child process failed; the message ends with the tail of its error output."""


class Run(BaseModel):
    """One timed run of one work."""

    work: str
    seconds: float
    # The child's own CPU time (not a database server's) and the load average it started
    # under: on a shared machine, wall time says as much about the neighbours as the work.
    cpu_seconds: float = 0.0
    load: float = 0.0
    peak_rss_kb: int
    rss_before_kb: int
    counts: Counts

    @property
    def own_kb(self) -> int:
        """What the timed part added to the process (interpreter, imports and setup excluded)."""
        return max(0, self.peak_rss_kb - self.rss_before_kb)


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a child, with the project importable and Prefect quiet."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(ROOT), environment.get("PYTHONPATH", "")) if part
    )
    environment.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    environment.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return environment | (extra or {})


def _tail(stream: IO[bytes], lines: int = 25) -> str:
    """The last lines of a child's output, led by its last error line."""
    stream.seek(0)
    text = stream.read().decode(errors="replace").splitlines()
    errors = [line for line in text if "Error" in line or "Exception" in line][-1:]
    return "\n".join([*errors, "…", *text[-lines:]])


def _result(stream: IO[bytes]) -> dict[str, object] | None:
    stream.seek(0)
    for line in reversed(stream.read().decode(errors="replace").splitlines()):
        if line.startswith(RESULT_MARK):
            found: dict[str, object] = json.loads(line[len(RESULT_MARK) :])
            return found
    return None


def run_work(
    work: str, context: Context, *, environment: dict[str, str], timeout: float = 3600
) -> Run:
    """Run `work` once in a child process; raises WorkFailedError when it fails or times out."""
    command = [sys.executable, "-m", "benchmarks.child", work, context.model_dump_json()]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command, stdout=out, stderr=err, env=environment, cwd=context.workdir
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        result = _result(out)
        if process.returncode != 0 or result is None:
            raise WorkFailedError(
                f"{work} failed (exit {process.returncode}):\n{_tail(err)}\n{_tail(out)}"
            )
    return Run.model_validate({"work": work, **result})
