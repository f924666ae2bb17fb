"""Concurrent runs deliver each message exactly once: 2, 4 and 8 runs at once, each in its own
process, of status-request, remind and deadlines on a catalogue of 1,000 owners, every mail
received by a real SMTP server on loopback, and every link in them working.

The runs start together at a barrier and run the plain functions the flows run (see
`tests.flows.runs`). What each test proves is stated in docs/status-cycle.md ("Guarantees").
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.synthetic import CatalogueShape, generate
from flows.common import run_instant
from flows.deadlines.plan import plan_deadlines
from models import Measure, Notification, Person, StatusRequest
from models.db import session_scope
from models.enums import AnswerSource, MeasureStatus, NotificationOutcome
from models.settings import get_settings, secret_key_bytes
from models.status.answers import StatusAnswer, hash_token, record_answer
from tests.flows.runs import ConcurrentRuns, RunReport
from tests.loopback import SmtpServer

pytestmark = pytest.mark.slow

OWNERS = 1000
ASKED_ON = date(2026, 9, 1)  # a Tuesday; due on Wednesday 16.09.
REMINDED_ON = date(2026, 9, 9)  # the first reminder day, seven days before the due date
DEADLINES_ON = date(2026, 12, 7)  # a Monday: owners hear of every overdue deadline
PLAN = [("status-request", ASKED_ON), ("remind", REMINDED_ON), ("deadlines", DEADLINES_ON)]
LINK = re.compile(r"http://127\.0\.0\.1:8080/s/([A-Za-z0-9_-]{43})")


@pytest.fixture
def mail_to(smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> SmtpServer:
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", smtp_server.url)
    get_settings.cache_clear()
    return smtp_server


@pytest.fixture
def town(settings_env: Path, mail_to: SmtpServer) -> int:
    """A municipality of 1,000 owners with one open measure and one milestone each."""
    shape = CatalogueShape(
        owners=OWNERS, measures=OWNERS, milestones_per_measure=1, ozg_services=0, all_open=True
    )
    with session_scope() as session:
        (municipality_id,) = generate(session=session, shape=shape).municipality_ids
    # On SQLite the key is generated into ./var once; here, before the runs race for it.
    secret_key_bytes(get_settings())
    return municipality_id


def _link(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    (token,) = set(LINK.findall(body.get_content()))
    return str(token)


def _owners_by_link(tokens: list[str]) -> dict[str, str]:
    """Link token → e-mail of the owner whose request it opens (tokens that open none: absent)."""
    by_hash = {hash_token(token): token for token in tokens}
    query = (
        sa.select(StatusRequest.token_hash, Person.email)
        .join(Person, StatusRequest.person_id == Person.id)
        .where(StatusRequest.token_hash.in_(list(by_hash)))
    )
    with session_scope() as session:
        return {by_hash[digest]: email for digest, email in session.execute(query)}


def _step(runs: ConcurrentRuns, mail_to: SmtpServer) -> tuple[list[EmailMessage], list[RunReport]]:
    """Run the next step in every process at once; the mails it made and the runs' reports."""
    before = len(mail_to.received.mails)
    reports = runs.step()
    return mail_to.received.mails[before:], reports


def _recipients(mails: list[EmailMessage]) -> Counter[str]:
    return Counter(str(mail["To"]) for mail in mails)


def _owners() -> list[str]:
    with session_scope() as session:
        query = sa.select(Person.email).where(Person.is_coordinator.is_(False))
        return sorted(session.scalars(query))


def _answer_every_second_owner() -> set[str]:
    """Record an answer of every second owner for their measure; who answered."""
    at = datetime.combine(REMINDED_ON - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    answered = set()
    with session_scope(actor="test") as session:
        owners = session.scalars(
            sa.select(Person).where(Person.is_coordinator.is_(False)).order_by(Person.id)
        ).all()
        for owner in owners[::2]:
            measure = session.scalars(sa.select(Measure).where(Measure.owner_id == owner.id)).one()
            record_answer(
                session=session,
                measure=measure,
                answer=StatusAnswer(status=MeasureStatus.IN_PROGRESS, progress=60),
                source=AnswerSource.PORTAL,
                reported_by=owner.email,
                at=at,
            )
            answered.add(owner.email)
    return answered


@pytest.mark.parametrize("count", [2, 4, 8])
def test_concurrent_runs_deliver_every_message_exactly_once_with_working_links(
    town: int, mail_to: SmtpServer, count: int
) -> None:
    owners = _owners()
    assert len(owners) == OWNERS
    with ConcurrentRuns(PLAN, count) as runs:
        # status-request: every owner asked once, the runs sharing the work.
        mails, reports = _step(runs, mail_to)
        assert _recipients(mails) == Counter(owners)
        assert sum(report.sent for report in reports) == OWNERS
        links = {str(mail["To"]): _link(mail) for mail in mails}
        assert _owners_by_link(list(links.values())) == {t: o for o, t in links.items()}
        with session_scope() as session:
            sent_at = set(session.scalars(sa.select(StatusRequest.sent_at)))
        assert sent_at == {run_instant(ASKED_ON, get_settings().zone)}

        # remind: every owner still without an answer reminded once, with the same link.
        unanswered = sorted(set(owners) - _answer_every_second_owner())
        mails, reports = _step(runs, mail_to)
        assert _recipients(mails) == Counter(unanswered)
        assert sum(report.sent for report in reports) == len(unanswered)
        assert {str(mail["To"]): _link(mail) for mail in mails} == {o: links[o] for o in unanswered}

        # deadlines: every digest and summary the day calls for, once.
        expected = plan_deadlines(
            municipality_id=town, on=DEADLINES_ON, settings=get_settings()
        ).messages
        mails, reports = _step(runs, mail_to)
        assert _recipients(mails) == Counter(message.recipient for message in expected)
        assert sum(report.sent for report in reports) == len(expected) > OWNERS // 3

    with session_scope() as session:
        ledger = Counter(
            (row.kind, row.outcome, row.attempts, row.claimed_by)
            for row in session.scalars(sa.select(Notification))
        )
    # Every message claimed once and sent once: no run ever tried what another had claimed.
    assert ledger == Counter(
        {
            ("status-request", NotificationOutcome.SENT, 1, None): OWNERS,
            ("status-reminder", NotificationOutcome.SENT, 1, None): len(unanswered),
            ("deadline-digest", NotificationOutcome.SENT, 1, None): len(expected) - 2,
            ("deadline-summary", NotificationOutcome.SENT, 1, None): 2,
        }
    )
    assert len(mail_to.received.mails) == OWNERS + len(unanswered) + len(expected)
