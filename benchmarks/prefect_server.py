"""A Prefect server for the flows the benchmarks run: on PostgreSQL, as a production one would be.

Prefect's SQLite-backed test server is not used here: under the events of a district's task
runs it answers "database is locked", and its clients then sleep and retry, which would be
counted as orchestration overhead that an installation on PostgreSQL does not have.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import sqlalchemy as sa

STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fresh_database(postgres_url: str) -> str:
    """An empty database named after the benchmark's, with `_prefect` appended."""
    target = sa.make_url(postgres_url)
    name = f"{target.database}_prefect"
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return target.set(drivername="postgresql+asyncpg", database=name).render_as_string(
        hide_password=False
    )


def _wait_until_up(api_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Prefect server ended:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not answer:\n{log.read_text()[-3000:]}")


@contextmanager
def prefect_server(postgres_url: str, workdir: Path) -> Iterator[str]:
    """`prefect server start` on a free loopback port over a fresh database; yields its API URL."""
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    environment = {
        **os.environ,
        "PREFECT_HOME": str(workdir / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": _fresh_database(postgres_url),
        "PREFECT_API_URL": api_url,
    }
    prefect = str(Path(sys.executable).parent / "prefect")
    log = workdir / "prefect-server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(api_url, process, log)
            yield api_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
