"""The portal served by uvicorn on loopback: concurrent owners, and `fahrplan portal`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from portal.form_reader import form_values
from tests.builders.status import Asked
from tests.portal.conftest import history

ROOT = Path(__file__).resolve().parents[2]


def test_two_concurrent_submissions_for_one_measure_both_land_in_the_history(
    served: str, asked: Asked
) -> None:
    first = asked.measure_ids[0]
    both_ready = threading.Barrier(2)

    def owner_submits(progress: int) -> int:
        with httpx.Client(base_url=served, timeout=60) as http:
            values = form_values(http.get(asked.path).text)
            values.update({f"m{first}-progress": str(progress), "save": str(first)})
            both_ready.wait()
            return http.post(asked.path, data=values).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(owner_submits, [41, 42]))
    assert statuses == [200, 200]
    assert sorted(report.progress for report in history(first)) == [41, 42]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fahrplan(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "fahrplan", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_fahrplan_portal_serves_the_form_on_the_given_port(portal_env: Path, asked: Asked) -> None:
    port = _free_port()
    process = _fahrplan("portal", "--host", "127.0.0.1", "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}{asked.path}")
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "the portal did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert "server" not in response.headers
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    assert '"GET /s/*** HTTP/1.1" 200' in stdout + stderr
    assert asked.token not in stdout + stderr


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_fahrplan_portal_refuses_to_start_on_postgresql_without_a_secret_key(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAHRPLAN_SECRET_KEY", raising=False)
    process = _fahrplan("portal", "--port", str(_free_port()))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.strip().splitlines() == [
        "fahrplan: FAHRPLAN_SECRET_KEY: required when the database is PostgreSQL "
        "(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
    ]
