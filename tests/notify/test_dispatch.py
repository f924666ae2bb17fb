from __future__ import annotations

import email
from datetime import date
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import Notification
from models.db import session_scope
from models.enums import NotificationOutcome
from notify import AppriseChannel, DeliveryError, Message, OutboxChannel, channels, dispatch
from notify.channels import mail_url_for
from tests.builders import catalogue
from tests.loopback import SmtpServer


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
    with pytest.raises(DeliveryError, match="e-mail failed"):
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
