"""PostgreSQL restarted in the middle of a run: nothing is lost, at most the mail in flight
arrives twice. The test starts a PostgreSQL of its own (initdb, pg_ctl), not the shared one."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from benchmarks.synthetic import CatalogueShape, generate
from models import Notification, StatusRequest
from models.db import reset_engine, session_scope
from models.enums import NotificationOutcome
from models.migrate import upgrade
from models.settings import get_settings
from tests.builders import ledger
from tests.conftest import POSTGRES_SECRET_KEY
from tests.flows.runs import run_step
from tests.loopback import SmtpServer, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

OWNERS = 120
RESTART_AT = 40  # the mail during which PostgreSQL restarts
ASKED_ON = date(2026, 9, 1)


@dataclass
class OwnPostgres:
    """A PostgreSQL cluster in a temporary folder, run as the `postgres` user when we are root."""

    bin: Path
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        data, log = str(self.folder / "data"), str(self.folder / "log")
        self._run("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", *args)

    def postmaster(self) -> int:
        """The process id of the server now running."""
        return int((self.folder / "data" / "postmaster.pid").read_text().split()[0])


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not binaries:
        pytest.fail("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
    folder = Path(tempfile.mkdtemp(prefix="fahrplan-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = OwnPostgres(bin=binaries[-1].parent, folder=folder, port=free_port())
    try:
        cluster._run("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", "postgres")
        cluster.pg_ctl("start")
        yield cluster
    finally:
        try:
            cluster.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def on_own_postgres(
    own_postgres: OwnPostgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OwnPostgres]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAHRPLAN_DATABASE_URL", own_postgres.url)
    monkeypatch.setenv("FAHRPLAN_SECRET_KEY", POSTGRES_SECRET_KEY)
    monkeypatch.setenv("FAHRPLAN_OUTBOX_DIR", str(tmp_path / "outbox"))
    get_settings.cache_clear()
    reset_engine()
    upgrade(own_postgres.url)
    yield own_postgres
    reset_engine()
    get_settings.cache_clear()


def test_postgres_restarted_mid_run_loses_nothing_and_repeats_at_most_the_mail_in_flight(
    on_own_postgres: OwnPostgres, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    shape = CatalogueShape(
        owners=OWNERS, measures=OWNERS, milestones_per_measure=0, ozg_services=0, all_open=True
    )
    with session_scope() as session:
        generate(session=session, shape=shape)
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", smtp_server.url)
    get_settings.cache_clear()
    before = on_own_postgres.postmaster()
    restart = threading.Thread(target=on_own_postgres.pg_ctl, args=("restart", "-m", "fast"))

    def restart_during(number: int) -> None:
        if number == RESTART_AT:
            restart.start()

    smtp_server.received.on_data = restart_during
    try:
        first_run = f"sent {run_step('status-request', ASKED_ON).sent}"
    except OperationalError as error:
        # It met the database down: what it sent is in the ledger, or was in flight.
        first_run = f"failed: {error.orig}"
    restart.join()
    smtp_server.received.on_data = None
    assert on_own_postgres.postmaster() != before, "PostgreSQL did not restart"

    run_step("status-request", ASKED_ON)
    with session_scope() as session:
        ledger.let_claims_run_out(session)
    run_step("status-request", ASKED_ON)
    assert run_step("status-request", ASKED_ON).sent == 0

    received = Counter(str(mail["To"]) for mail in smtp_server.received.mails)
    owners = [f"owner{n}@synthetic-1.example.org" for n in range(1, OWNERS + 1)]
    assert set(received) == set(owners)
    assert sum(received.values()) - OWNERS <= 1, (first_run, received.most_common(2))
    with session_scope() as session:
        outcomes = Counter(session.scalars(sa.select(Notification.outcome)))
        unsent = session.scalar(sa.select(sa.func.count()).where(StatusRequest.sent_at.is_(None)))
    assert outcomes == Counter({NotificationOutcome.SENT: OWNERS}) and unsent == 0
