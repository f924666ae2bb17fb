"""Runs that die or meet a broken mail server lose nothing and repeat at most one message.

A run killed with SIGKILL after k of n mails (the k-th accepted by the server, its answer
never read): the next runs deliver the rest, the one in flight twice at most. A mail server
that accepts connections and never answers costs the run its timeouts, not hours, and leaves
the messages pending for the next run.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.synthetic import CatalogueShape, generate
from flows.common import NotReachedError
from flows.status.request_flow import status_request
from models import Notification, StatusRequest
from models.db import session_scope
from models.enums import NotificationOutcome
from models.settings import get_settings, secret_key_bytes
from models.status.answers import hash_token
from models.status.tables import request_by_token_hash
from tests.builders import ledger
from tests.flows.runs import ConcurrentRuns, run_step
from tests.loopback import SilentServer, SmtpServer

ASKED_ON = date(2026, 9, 1)
OWNERS = 40  # two chunks of claims (25 + 15)
LINK = re.compile(r"/s/([A-Za-z0-9_-]{43})")


@pytest.fixture
def owners(settings_env: Path) -> list[str]:
    """A municipality of 40 owners with one open measure each; their addresses."""
    shape = CatalogueShape(
        owners=OWNERS, measures=OWNERS, milestones_per_measure=0, ozg_services=0, all_open=True
    )
    with session_scope() as session:
        generate(session=session, shape=shape)
    secret_key_bytes(get_settings())  # generated on SQLite before the child reads it
    return [f"owner{n}@synthetic-1.example.org" for n in range(1, OWNERS + 1)]


def _use_mail_server(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", url)
    get_settings.cache_clear()


def _ledger() -> Counter[tuple[NotificationOutcome, str | None]]:
    with session_scope() as session:
        rows = session.scalars(sa.select(Notification)).all()
        return Counter((row.outcome, row.claimed_by) for row in rows)


def _links_work(server: SmtpServer) -> bool:
    with session_scope() as session:
        for mail in server.received.mails:
            body = mail.get_body(("plain",))
            assert body is not None
            (token,) = set(LINK.findall(body.get_content()))
            found = request_by_token_hash(session=session, token_hash=hash_token(token))
            if found is None or found.person.email != mail["To"]:
                return False
    return True


@pytest.mark.parametrize("killed_at", [1, 26, OWNERS])
def test_a_run_killed_after_k_sends_is_finished_by_the_next_runs_with_at_most_one_twice(
    owners: list[str],
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    killed_at: int,
) -> None:
    _use_mail_server(monkeypatch, smtp_server.url)
    runs = ConcurrentRuns([("status-request", ASKED_ON)], 1)
    (pid,) = runs.pids

    def kill(number: int) -> None:
        # The server has the k-th mail; the run dies before it hears that it has.
        if number == killed_at:
            os.kill(pid, signal.SIGKILL)

    smtp_server.received.on_data = kill
    runs.start_step()
    assert runs.close() == [-signal.SIGKILL]
    smtp_server.received.on_data = None
    assert len(smtp_server.received.mails) == killed_at
    # The dead run's claims hold its chunk: the in-flight mail and the rest of its chunk.
    held = min(25, OWNERS - 25 * ((killed_at - 1) // 25)) - (killed_at - 1) % 25

    rerun = run_step("status-request", ASKED_ON)
    assert (rerun.sent, rerun.elsewhere) == (OWNERS - killed_at - held + 1, held)
    with session_scope() as session:
        ledger.let_claims_run_out(session)  # the lease of the dead run runs out
    after_the_lease = run_step("status-request", ASKED_ON)
    assert (after_the_lease.sent, after_the_lease.elsewhere) == (held, 0)
    assert run_step("status-request", ASKED_ON).sent == 0

    received = Counter(mail["To"] for mail in smtp_server.received.mails)
    in_flight = smtp_server.received.mails[killed_at - 1]["To"]
    assert received == Counter(owners) + Counter([in_flight])
    assert _ledger() == Counter({(NotificationOutcome.SENT, None): OWNERS})
    with session_scope() as session:
        assert (
            session.scalar(sa.select(sa.func.count()).where(StatusRequest.sent_at.is_(None))) == 0
        )
    assert _links_work(smtp_server)


def test_a_silent_mail_server_fails_the_run_within_its_timeouts_and_the_next_run_sends(
    owners: list[str],
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    prefect_harness: None,
) -> None:
    silent = SilentServer()
    silent.start()
    monkeypatch.setenv("FAHRPLAN_MAIL_READ_TIMEOUT", "0.5")
    _use_mail_server(monkeypatch, silent.url)
    started = time.monotonic()
    try:
        with pytest.raises(NotReachedError) as failed:
            status_request(period="2026-Q3", on=ASKED_ON)
    finally:
        silent.stop()
    assert time.monotonic() - started < 20  # three waits of 0.5 s, and Prefect's own time
    assert re.match(
        r"apprise given up after 3 failures in a row, the last: e-mail via 127\.0\.0\.1:\d+ "
        r"failed: timed out: no answer within 0\.5 s; 37 message\(s\) left pending for the "
        r"next run; 3 recipient\(s\) not reached: ",
        str(failed.value),
    )
    assert _ledger() == Counter(
        {(NotificationOutcome.FAILED, None): 3, (NotificationOutcome.PENDING, None): 37}
    )

    _use_mail_server(monkeypatch, smtp_server.url)
    assert status_request(period="2026-Q3", on=ASKED_ON).count("asked") == OWNERS
    assert sorted(mail["To"] for mail in smtp_server.received.mails) == sorted(owners)
    assert _ledger() == Counter({(NotificationOutcome.SENT, None): OWNERS})
    assert _links_work(smtp_server)
