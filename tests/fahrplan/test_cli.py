from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import BACKENDS, POSTGRES_SECRET_KEY, POSTGRES_URL

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


# What an operator's failures look like: one line on stderr, an exit code that says whose it is.

DEMO_CATALOGUE = Path(__file__).parents[2] / "fahrplan" / "demo" / "catalogue.yaml"
UNREACHABLE = "postgresql+psycopg://fahrplan:geheim-9431@127.0.0.1:9/fahrplan"
CLOSED_SMTP = "mailto://bot:smtp-geheim-77@127.0.0.1:9?from=fahrplan@musterstadt.de"


def _run_with(
    *args: str, cwd: Path, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FAHRPLAN_", "PREFECT_LOGGING_", "PREFECT_API_URL"))
    }
    return subprocess.run(
        [sys.executable, "-m", "fahrplan", *args],
        cwd=cwd,
        env={
            **environment,
            "PYTHONPATH": str(Path(__file__).parents[2]),
            # Prefect's temporary server keeps its database here, not in the home folder.
            "PREFECT_HOME": str(cwd / "prefect"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["init"],
        ["import", str(DEMO_CATALOGUE)],
        ["export", "k.xlsx"],
        ["status-request"],
        ["remind"],
    ],
)
def test_an_unreachable_database_is_one_line_without_its_password(
    tmp_path: Path, command: list[str]
) -> None:
    done = _run_with(*command, cwd=tmp_path, env={"FAHRPLAN_DATABASE_URL": UNREACHABLE})
    assert done.returncode == 3
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        "fahrplan: the database postgresql+psycopg://fahrplan:***@127.0.0.1:9/fahrplan "
        "cannot be used: connection failed:"
    ), line
    assert "geheim" not in done.stderr + done.stdout


@pytest.fixture(params=BACKENDS)
def bare_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database nobody ran `fahrplan init` on: a new SQLite file, an empty PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'leer.sqlite3'}"
    target = sa.make_url(POSTGRES_URL)
    bare = f"{target.database}_bare"
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{bare}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{bare}"'))
    admin.dispose()
    return target.set(database=bare, password="bare-geheim").render_as_string(hide_password=False)


def test_an_uninitialised_database_is_one_line(tmp_path: Path, bare_database_url: str) -> None:
    done = _run_with(
        "status-request", cwd=tmp_path, env={"FAHRPLAN_DATABASE_URL": bare_database_url}
    )
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.endswith("is not ready: run `fahrplan init` first"), line
    assert "geheim" not in line


def test_bad_settings_are_one_line_naming_each_setting(tmp_path: Path) -> None:
    env = {"FAHRPLAN_REMINDER_OFFSETS": "[abc]", "FAHRPLAN_TIMEZONE": "Europe/Nirgendwo"}
    done = _run_with("remind", cwd=tmp_path, env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "fahrplan: FAHRPLAN_TIMEZONE: unknown time zone 'Europe/Nirgendwo'; "
        "FAHRPLAN_REMINDER_OFFSETS: must be whole numbers of days such as [-7,0,3], not '[abc]'"
    ]


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home for the temporary servers of this module: its database is created once."""
    return tmp_path_factory.mktemp("prefect")


@pytest.fixture
def catalogued(tmp_path: Path, database_url: str, prefect_home: Path) -> dict[str, str]:
    """The demo catalogue in the test database; the environment of the commands."""
    env = {"FAHRPLAN_DATABASE_URL": database_url, "PREFECT_HOME": str(prefect_home)}
    if not database_url.startswith("sqlite"):
        env["FAHRPLAN_SECRET_KEY"] = POSTGRES_SECRET_KEY
    imported = _run_with("import", str(DEMO_CATALOGUE), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    return env


def test_a_failing_flow_is_one_line_naming_the_run_and_why(
    tmp_path: Path, catalogued: dict[str, str]
) -> None:
    env = {**catalogued, "FAHRPLAN_MAIL_URL": CLOSED_SMTP}
    done = _run_with("status-request", "--period", "2026-Q4", cwd=tmp_path, env=env)
    assert done.returncode == 4
    (line,) = done.stderr.splitlines()
    # A mail server that refuses every connection is given up after a few tries; the rest of
    # the owners stay pending for the next run (docs/status-cycle.md, "Guarantees").
    assert line.startswith("fahrplan: status-request-2026-Q4 failed: apprise given up after 3")
    assert "Connection refused" in line and "geheim" not in line
    assert done.stdout == ""


def test_verbose_adds_the_traceback_and_prefects_log(
    tmp_path: Path, catalogued: dict[str, str]
) -> None:
    env = {**catalogued, "FAHRPLAN_MAIL_URL": CLOSED_SMTP}
    asked = _run_with("--verbose", "status-request", "--period", "2026-Q4", cwd=tmp_path, env=env)
    assert asked.returncode == 4
    ours = [line for line in asked.stderr.splitlines() if line.startswith("fahrplan:")]
    assert len(ours) == 1
    assert ours[0].startswith("fahrplan: status-request-2026-Q4 failed: apprise given up")
    assert "Traceback (most recent call last):" in asked.stderr
    assert "NotReachedError" in asked.stderr
    assert "Flow run 'status-request-2026-Q4'" in asked.stderr, "Prefect's own log line"
    assert "Starting temporary server" in asked.stderr


def _children(pid: int) -> dict[int, str]:
    found = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            command = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found[int(status.parent.name)] = command
    return found


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be collected."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_a_killed_command_leaves_no_prefect_server_behind(
    tmp_path: Path, prefect_home: Path
) -> None:
    env = {
        "FAHRPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'f.sqlite3'}",
        "PREFECT_HOME": str(prefect_home),
    }
    assert _run_with("init", cwd=tmp_path, env=env).returncode == 0
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAHRPLAN_")}
    command = subprocess.Popen(
        [sys.executable, "-m", "fahrplan", "remind", "--on", "2026-12-09"],
        cwd=tmp_path,
        env={
            **environment,
            **env,
            "PYTHONPATH": str(Path(__file__).parents[2]),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    servers: list[int] = []
    while not servers and time.monotonic() < deadline and command.poll() is None:
        servers = [pid for pid, line in _children(command.pid).items() if "uvicorn" in line]
        time.sleep(0.05)
    assert servers, "the command did not start Prefect's temporary server"
    command.kill()
    command.wait(timeout=10)
    deadline = time.monotonic() + 15
    while any(_running(pid) for pid in servers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in servers), "Prefect's server outlived the command"
