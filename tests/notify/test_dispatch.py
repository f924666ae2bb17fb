from __future__ import annotations

import email
import re
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import Notification
from models.db import session_scope
from models.enums import NotificationOutcome
from models.notification import claim, enter_messages, record_sent
from models.settings import ConfigurationError, get_settings
from notify import AppriseChannel, DeliveryError, Message, OutboxChannel, channels, dispatch
from notify.channels import MailTimeouts, mail_url_for
from tests.builders import catalogue
from tests.loopback import SilentServer, SmtpServer


class FlakyChannel:
    """Sends through the outbox but refuses the recipients it is told to."""

    name = "flaky"

    def __init__(self, folder: Path, refuse: set[str]) -> None:
        self.outbox = OutboxChannel(folder)
        self.refuse = refuse

    def send(self, message: Message) -> None:
        if message.recipient in self.refuse:
            raise DeliveryError("mailbox unavailable")
        self.outbox.send(message)

    def close(self) -> None:
        self.outbox.close()


def _messages(municipality_id: int, recipients: list[str]) -> list[Message]:
    return [
        Message(
            kind="status-request",
            municipality_id=municipality_id,
            period_code="2026-Q3",
            recipient=recipient,
            on_date=date(2026, 9, 1),
            subject="Bitte melden Sie den Stand bis 15.09.2026",
            text="Hallo <b>Welt</b>",
            html="<p>Hallo &lt;b&gt;Welt&lt;/b&gt;</p>",
        )
        for recipient in recipients
    ]


def _read(path: Path) -> EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_outbox_writes_readable_mail_with_both_bodies(settings_env: Path) -> None:
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    (message,) = _messages(town_id, ["anna@example.org"])
    OutboxChannel(settings_env / "outbox").send(message)
    (path,) = (settings_env / "outbox").glob("*.eml")
    mail = _read(path)
    assert mail["To"] == "anna@example.org"
    assert mail["Subject"] == "Bitte melden Sie den Stand bis 15.09.2026"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().strip() == "Hallo <b>Welt</b>"
    assert "&lt;b&gt;" in html.get_content()


def test_a_failing_recipient_does_not_stop_the_others_and_a_rerun_sends_only_what_is_missing(
    settings_env: Path,
) -> None:
    outbox = settings_env / "outbox"
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    recipients = ["a@example.org", "b@example.org", "c@example.org"]

    first = dispatch(
        _messages(town_id, recipients), channel=FlakyChannel(outbox, {"b@example.org"})
    )
    assert first.failed.keys() == {"b@example.org"} and len(first.sent) == 2
    assert not first.ok

    second = dispatch(_messages(town_id, recipients), channel=FlakyChannel(outbox, set()))
    assert len(second.sent) == 1 and len(second.already_sent) == 2 and second.ok
    assert sorted(_read(p)["To"] for p in outbox.glob("*.eml")) == recipients

    third = dispatch(_messages(town_id, recipients), channel=FlakyChannel(outbox, set()))
    assert third.sent == [] and len(third.already_sent) == 3
    with session_scope() as session:
        rows = session.scalars(sa.select(Notification).order_by(Notification.recipient)).all()
        assert [(r.recipient, r.outcome, r.attempts) for r in rows] == [
            ("a@example.org", NotificationOutcome.SENT, 1),
            ("b@example.org", NotificationOutcome.SENT, 2),
            ("c@example.org", NotificationOutcome.SENT, 1),
        ]


def test_mail_url_gets_the_recipient() -> None:
    url = mail_url_for(
        "mailto://127.0.0.1:2525?from=fahrplan@example.org&to=x@y.z", "a@example.org"
    )
    assert url == "mailto://127.0.0.1:2525?from=fahrplan%40example.org&to=a%40example.org"


def test_apprise_mail_carries_our_plain_text_and_html_to_a_loopback_smtp_server(
    smtp_server: SmtpServer,
) -> None:
    (message,) = _messages(1, ["anna@example.org"])
    AppriseChannel(smtp_server.url).send(message)
    ((sender, recipients),) = smtp_server.received.envelopes
    assert (sender, recipients) == ("digitalfahrplan@example.org", ["anna@example.org"])
    (mail,) = smtp_server.received.mails
    assert mail["Subject"] == "Bitte melden Sie den Stand bis 15.09.2026"
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().strip() == "Hallo <b>Welt</b>"
    assert html.get_content().strip() == "<p>Hallo &lt;b&gt;Welt&lt;/b&gt;</p>"


def test_a_refused_connection_is_a_delivery_error() -> None:
    (message,) = _messages(1, ["anna@example.org"])
    closed = SmtpServer()  # never started
    with pytest.raises(DeliveryError, match=r"e-mail via 127\.0\.0\.1:[0-9]+ failed: .*refused"):
        AppriseChannel(closed.url).send(message)


def test_a_batch_shares_connections_of_at_most_the_servers_limit(
    settings_env: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "MAILS_PER_CONNECTION", 2)
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    recipients = [f"{name}@example.org" for name in "abcde"]
    delivery = dispatch(_messages(town_id, recipients), channel=AppriseChannel(smtp_server.url))
    assert len(delivery.sent) == 5 and delivery.ok
    assert [recipient for _, (recipient,) in smtp_server.received.envelopes] == recipients
    peers = smtp_server.received.connections
    assert [peers.count(peer) for peer in dict.fromkeys(peers)] == [2, 2, 1]


def test_a_refused_recipient_leaves_the_connection_to_the_next_mail(
    settings_env: Path, smtp_server: SmtpServer
) -> None:
    smtp_server.received.refuse = {"b@example.org"}
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    recipients = ["a@example.org", "b@example.org", "c@example.org"]
    delivery = dispatch(_messages(town_id, recipients), channel=AppriseChannel(smtp_server.url))
    assert list(delivery.failed) == ["b@example.org"]
    assert [r for _, (r,) in smtp_server.received.envelopes] == ["a@example.org", "c@example.org"]
    assert len(set(smtp_server.received.connections)) == 1


def test_after_a_pause_a_connection_the_server_dropped_is_replaced(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "QUIET_SECONDS", 0.0)
    first, second = _messages(1, ["a@example.org", "b@example.org"])
    channel = AppriseChannel(smtp_server.url)
    channel.send(first)
    smtp_server.stop()
    smtp_server.start()
    channel.send(second)
    channel.close()
    assert [r for _, (r,) in smtp_server.received.envelopes] == ["a@example.org", "b@example.org"]
    assert len(set(smtp_server.received.connections)) == 2


def test_one_person_hears_from_each_municipality_on_the_same_day(settings_env: Path) -> None:
    with session_scope() as session:
        towns = [catalogue.municipality(session, slug=s, name=s) for s in ("kreis-a", "kreis-b")]
        town_ids = [town.id for town in towns]
    messages = [m for town_id in town_ids for m in _messages(town_id, ["kreis@example.org"])]
    delivery = dispatch(messages, channel=OutboxChannel(settings_env / "outbox"))
    assert len(delivery.sent) == 2 and delivery.already_sent == []


def _ledger() -> dict[str, tuple[NotificationOutcome, int, str | None]]:
    """Recipient → (outcome, attempts, claimed by) of every ledger row."""
    with session_scope() as session:
        rows = session.scalars(sa.select(Notification)).all()
        return {r.recipient: (r.outcome, r.attempts, r.claimed_by) for r in rows}


def test_a_claim_holds_while_its_lease_lasts_and_then_comes_back(settings_env: Path) -> None:
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    messages = _messages(town_id, ["a@example.org", "b@example.org"])
    keys = [message.key for message in messages]
    now, lease = datetime(2026, 9, 1, 8, tzinfo=UTC), timedelta(minutes=10)
    with session_scope() as session:
        enter_messages(
            session=session,
            rows=[
                {
                    "idempotency_key": m.key,
                    "kind": m.kind,
                    "municipality_id": town_id,
                    "recipient": m.recipient,
                    "on_date": m.on_date,
                    "attempts": 0,
                }
                for m in messages
            ],
        )

    def taken(by: str, at: datetime, wanted: list[str] = keys) -> set[str]:
        with session_scope() as session:
            return claim(
                session=session, keys=wanted, claimer=by, channel="outbox", now=at, lease=lease
            )

    assert taken("first", now) == set(keys)
    # Claimed and not sent: nobody else gets it while the lease holds, not even its owner.
    assert taken("second", now + lease - timedelta(seconds=1)) == set()
    assert taken("first", now + timedelta(minutes=5)) == set()
    with session_scope() as session:
        record_sent(session=session, key=keys[0], at=now, subject="Sachstand")
    # The claimer died: after the lease the unsent message comes back, the sent one never.
    assert taken("second", now + lease) == {keys[1]}
    assert _ledger() == {
        "a@example.org": (NotificationOutcome.SENT, 1, None),
        "b@example.org": (NotificationOutcome.PENDING, 2, "second"),
    }


def test_smtp_down_gives_the_channel_up_after_three_failures_and_leaves_the_rest_pending(
    settings_env: Path, smtp_server: SmtpServer
) -> None:
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    recipients = [f"owner{n}@example.org" for n in range(10)]
    smtp_server.stop()
    down = dispatch(_messages(town_id, recipients), channel=AppriseChannel(smtp_server.url))
    assert sorted(down.failed) == recipients[:3] and down.sent == []
    assert len(down.pending) == 7 and not down.ok
    assert re.fullmatch(
        r"apprise given up after 3 failures in a row, the last: e-mail via "
        r"127\.0\.0\.1:[0-9]+ failed: .*Connection refused",
        down.stopped,
    )
    ledger = _ledger()
    assert {ledger[r] for r in recipients[:3]} == {(NotificationOutcome.FAILED, 1, None)}
    assert {ledger[r] for r in recipients[3:]} == {(NotificationOutcome.PENDING, 0, None)}

    smtp_server.start()
    up = dispatch(_messages(town_id, recipients), channel=AppriseChannel(smtp_server.url))
    assert len(up.sent) == 10 and up.ok
    assert sorted(r for _, (r,) in smtp_server.received.envelopes) == recipients


def test_a_silent_server_costs_the_read_timeout_three_times_and_no_more(
    settings_env: Path,
) -> None:
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    silent = SilentServer()
    silent.start()
    timeouts = MailTimeouts(connect=1.0, read=0.5, total=5.0)
    started = time.monotonic()
    try:
        delivery = dispatch(
            _messages(town_id, [f"owner{n}@example.org" for n in range(20)]),
            channel=AppriseChannel(silent.url, timeouts),
        )
    finally:
        silent.stop()
    assert time.monotonic() - started < 3 * 0.5 + 2.0
    assert len(delivery.failed) == 3 and len(delivery.pending) == 17
    assert delivery.stopped.endswith("failed: timed out: no answer within 0.5 s")
    assert all("timed out" in why for why in delivery.failed.values())


def test_a_server_that_answers_byte_by_byte_is_cut_off_at_the_total_timeout() -> None:
    (message,) = _messages(1, ["anna@example.org"])
    dripping = SilentServer(drip=0.1)
    dripping.start()
    channel = AppriseChannel(dripping.url, MailTimeouts(connect=1.0, read=1.0, total=1.0))
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryError, match=r"no complete answer within 1 s"):
            channel.send(message)
    finally:
        channel.close()
        dripping.stop()
    assert time.monotonic() - started < 2.0


def test_refused_recipients_do_not_give_the_channel_up(
    settings_env: Path, smtp_server: SmtpServer
) -> None:
    refused = {f"gone{n}@example.org" for n in range(4)}
    smtp_server.received.refuse = refused
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    recipients = [*sorted(refused), "a@example.org", "b@example.org"]
    delivery = dispatch(_messages(town_id, recipients), channel=AppriseChannel(smtp_server.url))
    assert set(delivery.failed) == refused and not delivery.stopped
    assert len(delivery.sent) == 2 and delivery.pending == []
    assert delivery.failed["gone0@example.org"] == "e-mail refused: 550 mailbox unavailable"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://relay.example.org", "not http://"),
        ("json://relay.example.org", "not json://"),
        ("mailto://?from=fahrplan@example.org", "names no mail server"),
        ("mailto://relay.example.org:99999", "malformed server address"),
    ],
)
def test_an_unusable_mail_url_is_refused_at_start_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, url: str, says: str
) -> None:
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", url.replace("//", "//user:s3cret@", 1))
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match=f"^FAHRPLAN_MAIL_URL: .*{says}") as refused:
            get_settings()
        assert "s3cret" not in str(refused.value)
    finally:
        get_settings.cache_clear()


def test_a_lease_shorter_than_two_messages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAHRPLAN_MAIL_TOTAL_TIMEOUT", "60")
    monkeypatch.setenv("FAHRPLAN_MESSAGE_LEASE_SECONDS", "100")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="at least twice FAHRPLAN_MAIL_TOTAL_TIMEOUT"):
            get_settings()
    finally:
        get_settings.cache_clear()
