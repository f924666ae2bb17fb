"""The mail fan-out: `dispatch` through the Apprise channel, beside raw smtplib.

Both send the same messages (a status request listing ten measures, one per owner) as the
same MIME mails to the same SMTP server on loopback. `dispatch` claims each message in the
ledger, hands it to `AppriseChannel` and records the outcome; raw smtplib sends the mails one
after another on one connection and records nothing.
"""

from __future__ import annotations

import smtplib
from datetime import date
from urllib.parse import urlsplit

from benchmarks.work import Context, Counts, Timed, needed
from notify import Message

KIND = "benchmark-mail"
SENDER = "digitalfahrplan@example.org"


def _messages(context: Context) -> list[Message]:
    from sqlalchemy import func, select

    from models.calendar_link import CalendarLink
    from models.db import session_scope
    from models.enums import MeasureStatus
    from models.municipality import Municipality
    from notify.status_messages import MeasureLine, StatusPrompt, render_prompt

    with session_scope() as session:
        town_id = needed(session.scalar(select(func.min(Municipality.id))), "a municipality")
    lines = [
        MeasureLine(
            code=f"V-{n:03d}", title=f"Maßnahme {n}", status=MeasureStatus.PLANNED, progress=0
        )
        for n in range(1, 11)
    ]
    messages = []
    for n in range(context.messages):
        prompt = StatusPrompt(
            kind="request",
            language="de",
            municipality="Synthstadt",
            period_code="2026-Q3",
            name=f"Verantwortliche {n}",
            due_on=date(2026, 9, 16),
            closes_on=date(2026, 10, 16),
            link=f"http://127.0.0.1:8080/s/{'x' * 43}",
            calendar=CalendarLink.of(
                secret=b"b" * 32, portal_url="http://127.0.0.1:8080", person_id=n + 1
            ),
            measures=lines,
            on=date(2026, 9, 1),
        )
        mail = render_prompt(prompt)
        messages.append(
            Message(
                kind=KIND,
                municipality_id=town_id,
                period_code="2026-Q3",
                recipient=f"owner{n}@mail.example.org",
                on_date=date(2026, 9, 1),
                subject=mail.subject,
                text=mail.text,
                html=mail.html,
            )
        )
    return messages


def _mail_url(context: Context) -> str:
    return needed(context.mail_url, "the SMTP server the mail works send to")


def fan_out(context: Context) -> Timed:
    """`dispatch` through the Apprise e-mail channel."""
    from notify import dispatch
    from notify.channels import AppriseChannel

    messages, channel = _messages(context), AppriseChannel(_mail_url(context))

    def timed() -> Counts:
        delivery = dispatch(messages, channel=channel)
        return {"sent": len(delivery.sent), "failed": len(delivery.failed)}

    return timed


def raw_smtplib(context: Context) -> Timed:
    """The same mails through smtplib on one connection, with no ledger."""
    from notify.channels import as_email

    messages, server = _messages(context), urlsplit(_mail_url(context))
    host, port = server.hostname or "127.0.0.1", server.port or 25

    def timed() -> Counts:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            for message in messages:
                mail = as_email(message, SENDER)
                smtp.send_message(mail, from_addr=SENDER, to_addrs=[message.recipient])
        return {"sent": len(messages), "failed": 0}

    return timed
