"""The path a town takes when it outgrows one machine: a Prefect server on PostgreSQL, a process
work pool, a worker, our deployments registered on the pool, one of them run to completion."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
POOL = "fahrplan-e2e"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Named after the test database, so parallel workers and checkouts each have their own.
PREFECT_DATABASE = f"{sa.make_url(POSTGRES_URL).database}_prefect_server"


def _fresh_postgres_database(name: str) -> str:
    admin = sa.create_engine(
        sa.make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.make_url(POSTGRES_URL).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"prefect server ended early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"prefect server did not answer:\n{log.read_text()[-3000:]}")


@pytest.fixture
def prefect_server(tmp_path: Path, sqlite_template: Path) -> Iterator[dict[str, str]]:
    """A Prefect server on PostgreSQL and the environment that talks to it."""
    app_db = tmp_path / "fahrplan.sqlite3"
    shutil.copy(sqlite_template, app_db)
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": _fresh_postgres_database(
            f"{sa.make_url(POSTGRES_URL).database}_prefect_server"
        ),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "FAHRPLAN_DATABASE_URL": f"sqlite:///{app_db}",
        "FAHRPLAN_OUTBOX_DIR": str(tmp_path / "outbox"),
        "FAHRPLAN_REPORT_DIR": str(tmp_path / "reports"),
    }
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(env["PREFECT_API_URL"], server, log)
        yield env
    finally:
        _stop(server)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a process to stop, and make it when it does not: a Prefect worker's shutdown can
    hang on its cancellation observer once the server is busy, which says nothing of the run."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def _run(env: dict[str, str], *args: str | Path) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


SCRIPT = """
import json
from fahrplan.deploy_commands import deploy_to_pool
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.deployments import run_deployment

names = deploy_to_pool("{pool}")
run = run_deployment("deadlines/deadlines", parameters={{"on": "2026-11-23"}}, timeout=240)
with get_client(sync_client=True) as client:
    found = client.read_artifacts(
        artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
    )
print(json.dumps({{"deployed": names, "state": run.state.type.value, "name": run.name,
                  "artifacts": [a.key for a in found]}}))
"""


def test_a_worker_on_a_process_pool_runs_a_deployed_flow(
    prefect_server: dict[str, str], tmp_path: Path
) -> None:
    env = prefect_server
    _run(env, BIN / "prefect", "work-pool", "create", POOL, "--type", "process")
    worker_log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [BIN / "prefect", "worker", "start", "--pool", POOL],
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        result = json.loads(
            _run(env, sys.executable, "-c", SCRIPT.format(pool=POOL)).splitlines()[-1]
        )
    finally:
        _stop(worker)
        worker_log.close()
    assert sorted(result["deployed"]) == [
        "deadlines/deadlines",
        "remind/remind",
        "report/report",
        "status-request/status-request",
    ]
    assert result["state"] == "COMPLETED", (tmp_path / "worker.log").read_text()[-3000:]
    assert result["name"] == "deadlines-2026-11-23"
    assert "deadlines" in result["artifacts"]
