"""Owners are asked for their indicators' values in the same message as for their measures; an
owner of indicators only is asked too, and reminded of the values still missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa

from flows.status.remind_flow import remind
from flows.status.request_flow import status_request
from models import StatusRequest, StatusRequestIndicator
from models.db import session_scope
from models.indicator import append_value
from models.settings import get_settings
from models.status.answers import record_indicator_value
from tests.builders import catalogue, indicators
from tests.loopback import SmtpServer

ASKED_ON = date(2026, 5, 15)


@pytest.fixture
def mail_to(smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> SmtpServer:
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", smtp_server.url)
    get_settings.cache_clear()
    return smtp_server


def _bodies(mail: EmailMessage) -> tuple[str, str]:
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content().replace("\r\n", "\n"), html.get_content()


def _town() -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        anna = catalogue.person(session, town, name="Anna Amt", email="anna@example.org")
        ina = catalogue.person(
            session, town, name="Ina Index", email="ina@example.org", language="en"
        )
        catalogue.measure(session, town, owner_id=anna.id, title="E-Akte")
        online = indicators.indicator(
            session, town, code="K-01", name="OZG online <b>", owner_id=anna.id
        )
        indicators.target(session, online, date(2026, 12, 31), "50")
        indicators.target(session, online, date(2028, 12, 31), "90")
        append_value(
            session=session,
            indicator=online,
            measured_on=date(2025, 12, 31),
            value=Decimal("24.5"),
            source="Import",
            recorded_by="test",
        )
        indicators.indicator(session, town, code="K-02", name="Open data sets", owner_id=ina.id)


def test_one_mail_asks_for_measures_and_indicators_and_indicator_owners_are_asked_too(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer
) -> None:
    _town()
    outcome = status_request(period="2026-Q2", on=ASKED_ON)
    assert outcome.count("asked") == 2 and not outcome.not_reached
    (anna,) = mail_to.received.to("anna@example.org")
    text, html = _bodies(anna)
    assert "E-Akte" in text
    assert "Bitte melden Sie auch den aktuellen Wert Ihrer Kennzahlen:" in text
    assert "- K-01 OZG online <b> (%)" in text
    assert "zuletzt: 24,5 am 31.12.2025; nächstes Ziel: 50 bis 31.12.2026" in text
    assert "OZG online &lt;b&gt;" in html and "<b>" not in html
    (ina,) = mail_to.received.to("ina@example.org")
    text, _ = _bodies(ina)
    assert "Your measures" not in text
    assert "- K-02 Open data sets (%)\n  last: no value yet" in text
    with session_scope() as session:
        items = session.scalars(sa.select(StatusRequestIndicator)).all()
        assert len(items) == 2


def test_an_owner_of_indicators_only_is_reminded_until_the_value_comes(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer
) -> None:
    _town()
    status_request(period="2026-Q2", on=ASKED_ON)
    with session_scope() as session:
        item = session.scalars(
            sa.select(StatusRequestIndicator)
            .join(StatusRequest)
            .where(StatusRequest.person.has(email="anna@example.org"))
        ).one()
        record_indicator_value(
            session=session, item=item, value=Decimal(30), measured_on=date(2026, 5, 20)
        )
        # Anna's measure is still open, so her request is not answered yet.
        assert item.answered_at is not None and item.request.answered_at is None
    remind(on=date(2026, 5, 26))
    reminders = [
        mail
        for mail in mail_to.received.mails
        if str(mail["Subject"]).startswith(("Erinnerung", "Reminder"))
    ]
    by_person = {str(m["To"]): _bodies(m)[0] for m in reminders}
    assert "K-01" not in by_person["anna@example.org"]
    assert "The current value is still missing for:" in by_person["ina@example.org"]
    assert "K-02 Open data sets" in by_person["ina@example.org"]
