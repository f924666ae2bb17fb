from __future__ import annotations

import re
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa

from flows.common import NotReachedError, run_instant
from flows.status import asking
from flows.status.request_flow import status_request
from models import Notification, ReportingPeriod, StatusRequest
from models.db import session_scope
from models.enums import NotificationOutcome
from models.settings import get_settings
from models.status.answers import hash_token
from models.status.tables import request_by_token_hash
from notify import AppriseChannel, Message
from tests.builders import catalogue, ledger
from tests.builders.status_town import Town, build_town
from tests.loopback import SmtpServer, WebhookServer

ASKED_ON = date(2026, 5, 15)
LINK = re.compile(r"http://127\.0\.0\.1:8080/s/([A-Za-z0-9_-]{43})")


@pytest.fixture
def mail_to(smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> SmtpServer:
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", smtp_server.url)
    get_settings.cache_clear()
    return smtp_server


def _town(webhook: str | None = None) -> Town:
    with session_scope() as session:
        return build_town(session, webhook=webhook)


def _bodies(mail: EmailMessage) -> tuple[str, str]:
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def _link_works(token: str) -> bool:
    with session_scope() as session:
        return request_by_token_hash(session=session, token_hash=hash_token(token)) is not None


def test_each_owner_gets_one_mail_with_their_measures_and_a_working_link(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer
) -> None:
    town = _town()
    outcome = status_request(period="2026-Q2", on=ASKED_ON)

    assert outcome.count("asked") == 3 and not outcome.not_reached
    received = mail_to.received
    assert sorted(rcpt for _, (rcpt,) in received.envelopes) == sorted(town.owners)
    (anna,) = received.to("anna@example.org")
    assert anna["Subject"] == "Sachstand Digitalstrategie 2026-Q2: bitte bis 01.06.2026 melden"
    assert anna["From"] == "digitalfahrplan@example.org"
    text, html = _bodies(anna)
    assert "E-Akte <script>alert(1)</script>" in text and "WLAN in Schulen" in text
    assert "E-Akte &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Anna &lt;b&gt;Amt&lt;/b&gt;" in html
    (token,) = set(LINK.findall(text))
    assert LINK.findall(html)[0] == token and _link_works(token)
    (ben,) = received.to("ben@example.org")
    assert ben["Subject"] == "Digital strategy status 2026-Q2: please report by 2026-06-01"
    assert "Open Data portal" in _bodies(ben)[0]
    with session_scope() as session:
        period = session.scalars(sa.select(ReportingPeriod)).one()
        assert (period.due_on, period.closes_on) == (date(2026, 6, 1), date(2026, 7, 1))
        requests = session.scalars(sa.select(StatusRequest)).all()
        assert len(requests) == 3 and all(r.sent_at for r in requests)
        hashes = {r.id: r.token_hash for r in requests}

    again = status_request(period="2026-Q2", on=date(2026, 5, 18))
    assert again.count("asked") == 0 and again.asked_before == 3
    assert len(received.mails) == 3
    with session_scope() as session:
        assert {r.id: r.token_hash for r in session.scalars(sa.select(StatusRequest))} == hashes


def test_a_webhook_of_the_owner_gets_the_plain_text(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer, webhook_server: WebhookServer
) -> None:
    _town(webhook=f"json://127.0.0.1:{webhook_server.port}/hooks/ben")
    status_request(period="2026-Q2", on=ASKED_ON)
    ((path, body),) = webhook_server.posts
    assert path == "/hooks/ben"
    assert body["title"] == "Digital strategy status 2026-Q2: please report by 2026-06-01"
    (token,) = set(LINK.findall(body["message"]))
    assert "Open Data portal" in body["message"] and _link_works(token)
    assert len(mail_to.received.to("ben@example.org")) == 1


def test_smtp_down_fails_the_run_marks_nothing_sent_and_the_next_run_delivers_once(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer
) -> None:
    town = _town()
    mail_to.stop()
    with pytest.raises(NotReachedError, match="3 recipient"):
        status_request(period="2026-Q2", on=ASKED_ON)
    with session_scope() as session:
        assert all(r.sent_at is None for r in session.scalars(sa.select(StatusRequest)))
        outcomes = session.scalars(sa.select(Notification.outcome)).all()
        assert outcomes == [NotificationOutcome.FAILED] * 3

    mail_to.start()
    assert status_request(period="2026-Q2", on=ASKED_ON).count("asked") == 3
    assert status_request(period="2026-Q2", on=ASKED_ON).count("asked") == 0
    assert sorted(mail["To"] for mail in mail_to.received.mails) == sorted(town.owners)
    tokens = [LINK.findall(_bodies(mail)[0])[0] for mail in mail_to.received.mails]
    assert all(_link_works(token) for token in tokens)


class PowerCut(BaseException):
    """The process dies: nothing after it runs, not even an `except Exception`."""


class CrashingChannel:
    """Sends through SMTP, then the process dies before the next message."""

    name = "apprise"

    def __init__(self, mail_url: str, survive: int) -> None:
        self.inner = AppriseChannel(mail_url)
        self.survive = survive

    def send(self, message: Message) -> None:
        if self.survive == 0:
            raise PowerCut
        self.survive -= 1
        self.inner.send(message)

    def close(self) -> None:
        self.inner.close()


def test_a_crash_after_some_sends_then_a_rerun_delivers_every_request_exactly_once(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer
) -> None:
    town = _town()
    at = run_instant(ASKED_ON, get_settings().zone)
    period_id = asking.prepare_requests(
        municipality_id=town.municipality_id, period_code="2026-Q2", at=at
    )
    with pytest.raises(PowerCut):
        asking.send_requests(
            period_id=period_id, at=at, channel=CrashingChannel(mail_to.url, survive=2)
        )
    assert len(mail_to.received.mails) == 2

    # The third was in flight: whether it went out is unknown, so its claim holds until the
    # lease runs out and no run sends it meanwhile.
    outcome = status_request(period="2026-Q2", on=ASKED_ON)
    assert outcome.count("asked") == 0 and outcome.elsewhere == 1
    with session_scope() as session:
        ledger.let_claims_run_out(session)
    outcome = status_request(period="2026-Q2", on=ASKED_ON)
    assert outcome.count("asked") == 1 and outcome.asked_before == 2
    assert sorted(mail["To"] for mail in mail_to.received.mails) == sorted(town.owners)
    tokens = [LINK.findall(_bodies(mail)[0])[0] for mail in mail_to.received.mails]
    assert all(_link_works(token) for token in tokens), "a link that went out was replaced"


def test_every_municipality_is_asked_in_one_run_into_the_outbox(
    settings_env: Path, prefect_harness: None
) -> None:
    with session_scope() as session:
        build_town(session)
        neighbour = catalogue.municipality(session, slug="nachbarstadt", name="Nachbarstadt")
        owner = catalogue.person(session, neighbour, email="nora@nachbarstadt.example")
        catalogue.measure(session, neighbour, owner_id=owner.id, title="Ratsinformationssystem")
    outcome = status_request(period="2026-Q2", on=ASKED_ON)
    assert sorted({c.municipality for c in outcome.contacts}) == ["default", "nachbarstadt"]
    mails = sorted((settings_env / "outbox").glob("*.eml"))
    assert len(mails) == 4
    (nora,) = [path for path in mails if "nora" in path.name]
    assert "Nachbarstadt bittet Sie" in nora.read_text(encoding="utf-8")


def test_a_scheduled_run_asks_only_on_the_first_working_day_of_the_month(
    settings_env: Path, prefect_harness: None
) -> None:
    _town()
    # 1 May 2026 is a public holiday (Friday): the first working day is Monday, 4 May.
    for day in (date(2026, 5, 1), date(2026, 5, 5)):
        skipped = status_request(period="2026-Q2", on=day, first_working_day_only=True)
        assert skipped.contacts == []
    assert not list((settings_env / "outbox").glob("*.eml"))
    asked = status_request(period="2026-Q2", on=date(2026, 5, 4), first_working_day_only=True)
    assert asked.count("asked") == 3
