from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONTRACT = (
    "init",
    "import",
    "export",
    "demo",
    "status-request",
    "status",
    "remind",
    "deadlines",
    "committee",
    "report",
    "portal",
    "serve",
)


def _fahrplan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAHRPLAN_")}
    return subprocess.run(
        [sys.executable, "-m", "fahrplan", *args],
        cwd=cwd,
        env={**environment, "PYTHONPATH": str(Path(__file__).parents[2])},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_the_contract(tmp_path: Path) -> None:
    shown = _fahrplan("--help", cwd=tmp_path)
    assert shown.returncode == 0
    for command in CONTRACT:
        assert f" {command} " in shown.stdout, command


def test_a_database_not_initialised_is_refused_in_one_line(tmp_path: Path) -> None:
    refused = _fahrplan("report", "--period", "2026-Q3", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "fahrplan: the database sqlite:///var/fahrplan.sqlite3 is not ready: "
        "run `fahrplan init` first"
    ]
    assert _fahrplan("init", cwd=tmp_path).returncode == 0
    exported = _fahrplan("export", "katalog.xlsx", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "katalog.xlsx").exists()


def test_a_misconfigured_setting_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("FAHRPLAN_FEDERAL_STATE=XX\n", encoding="utf-8")
    refused = _fahrplan("init", cwd=tmp_path)
    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("fahrplan: FAHRPLAN_FEDERAL_STATE:") and "NW" in line
