"""Shared fixtures: the same tests run on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

# Prefect's telemetry cannot reach anything from a closed network; keep it quiet.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import models
from models.db import reset_engine
from models.migrate import upgrade
from models.settings import get_settings
from tests.loopback import OparlServer, SmtpServer, WebhookServer


def _postgres_url() -> str:
    """The configured test database; under pytest-xdist each worker gets a database of its
    own beside it (`test_gw0`, `test_gw1`, …), so workers never truncate each other's rows."""
    url = sa.make_url(
        os.environ.get(
            "FAHRPLAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    )
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        url = url.set(database=f"{url.database}_{worker}")
    return url.render_as_string(hide_password=False)


POSTGRES_URL = _postgres_url()
BACKENDS = ["sqlite", "postgresql"]
# Production (PostgreSQL) must configure its secret key; SQLite tests use the generated one.
POSTGRES_SECRET_KEY = "pG7vR2kX9mQ4tW8zL3nB6cJ5hD1sF0aY"


def _ensure_postgres_database(url: str) -> None:
    """Create the test database when it is missing; a PostgreSQL that is down fails the run."""
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "fahrplan.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    """The PostgreSQL test database, emptied and migrated to head once per run."""
    _ensure_postgres_database(POSTGRES_URL)
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


def _truncate_all(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{name}"' for name in models.Base.metadata.tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """The URL of an empty, migrated database: an SQLite copy or the truncated PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "fahrplan.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_migrated")
        _truncate_all(url)
        yield url


@pytest.fixture
def settings_env(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point the application at the test database and at folders of this test; yields tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAHRPLAN_DATABASE_URL", database_url)
    if not database_url.startswith("sqlite"):
        monkeypatch.setenv("FAHRPLAN_SECRET_KEY", POSTGRES_SECRET_KEY)
    monkeypatch.setenv("FAHRPLAN_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("FAHRPLAN_REPORT_DIR", str(tmp_path / "reports"))
    get_settings.cache_clear()
    reset_engine()
    yield tmp_path
    reset_engine()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server for the whole run; starting it costs seconds."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback that keeps what it receives."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def webhook_server() -> Iterator[WebhookServer]:
    """A real HTTP server on loopback that keeps what is posted to it (Apprise json://)."""
    server = WebhookServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def oparl_server() -> Iterator[OparlServer]:
    """A council information system on loopback speaking OParl 1.1; tests fill its meetings."""
    server = OparlServer()
    server.start()
    yield server
    server.stop()
