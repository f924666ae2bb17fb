from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.common import NotReachedError, run_instant
from flows.status import chasing
from flows.status.remind_flow import remind
from models import Measure, StatusRequest
from models.db import session_scope
from models.enums import MeasureStatus
from models.settings import get_settings
from models.status.answers import StatusAnswer, hash_token
from models.status.tables import request_by_token_hash
from tests.builders import status
from tests.builders.status_town import Town, asked_town
from tests.loopback import SmtpServer

ASKED_ON = date(2026, 5, 15)  # due 30.05. is a Saturday: due Monday 01.06.2026
LINK = re.compile(r"/s/([A-Za-z0-9_-]{43})")


@pytest.fixture
def mail_to(smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> SmtpServer:
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", smtp_server.url)
    get_settings.cache_clear()
    return smtp_server


def _asked() -> Town:
    town, outcome = asked_town(ASKED_ON)
    assert outcome.count("asked") == 3
    return town


def _answer(codes: list[str], on: date) -> None:
    with session_scope(actor="test") as session:
        for code in codes:
            status.answer(
                session,
                session.scalars(sa.select(Measure).where(Measure.code == code)).one(),
                StatusAnswer(status=MeasureStatus.IN_PROGRESS, progress=50),
                at=datetime.combine(on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10),
            )


def _kind(mail: EmailMessage) -> str:
    subject = str(mail["Subject"])
    return subject.split(":")[0] if ":" in subject else subject


def _text(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def _token(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    (token,) = set(LINK.findall(body.get_content()))
    return str(token)


def _works(token: str) -> bool:
    with session_scope() as session:
        return request_by_token_hash(session=session, token_hash=hash_token(token)) is not None


def test_a_whole_period_reminds_on_working_days_escalates_once_and_stops_for_answers(
    settings_env: Path, mail_to: SmtpServer
) -> None:
    town = _asked()
    received = mail_to.received
    first_link_of_ben = _token(received.to("ben@example.org")[0])
    anna, ben, cem = town.owners
    sent_on: dict[date, list[tuple[str, str]]] = {}
    day = ASKED_ON + timedelta(days=1)
    while day <= date(2026, 6, 14):
        if day == date(2026, 5, 27):
            _answer(town.measure_codes[cem][:1], day)  # one of three: still reminded
        if day == date(2026, 5, 28):
            _answer(town.measure_codes[anna], day)
        before = len(received.mails)
        chasing.chase_owners(
            municipality_id=town.municipality_id, at=run_instant(day, get_settings().zone)
        )
        new = received.mails[before:]
        if new:
            sent_on[day] = sorted((_kind(mail), str(mail["To"])) for mail in new)
        day += timedelta(days=1)

    reminders = [("Erinnerung", anna), ("Erinnerung", cem), ("Reminder", ben)]
    overdue = [("Overdue", ben), ("Überfällig", cem)]
    assert sent_on == {
        date(2026, 5, 26): reminders,  # 7 days before is Whit Monday, a holiday
        date(2026, 6, 1): [("Erinnerung", cem), ("Reminder", ben)],  # the due date
        date(2026, 6, 5): overdue,  # 3 working days after, skipping Corpus Christi (04.06.)
        date(2026, 6, 8): [("Eskalation", town.coordinator), ("Eskalation", town.deputy)],
    }

    (to_coordinator,) = received.to(town.coordinator)
    text = _text(to_coordinator)
    assert "Ben Baker" in text and "Cem Cetin" in text and "Anna" not in text
    (to_deputy,) = received.to(town.deputy)
    deputy_text = _text(to_deputy)
    assert "Vertretung" in deputy_text and "Cem Cetin" in deputy_text
    assert "Ben Baker" not in deputy_text
    cem_due_day = received.to(cem)[2]
    cem_text = _text(cem_due_day)
    assert town.measure_codes[cem][0] not in cem_text and town.measure_codes[cem][1] in cem_text

    # Every mail of the period carried the one link, which still works.
    assert {_token(mail) for mail in received.to(ben)} == {first_link_of_ben}
    assert _works(first_link_of_ben)
    with session_scope() as session:
        requests = {r.person.email: r for r in session.scalars(sa.select(StatusRequest))}
        assert requests[anna].answered_at and requests[anna].reminder_count == 1
        assert requests[ben].reminder_count == 3 and requests[ben].escalated_at


def test_the_remind_flow_sends_once_per_day_and_leaves_an_artifact(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer
) -> None:
    _asked()
    state = remind(on=date(2026, 5, 26), return_state=True)
    assert state.is_completed() and state.result().count("reminded") == 3
    assert remind(on=date(2026, 5, 26)).count("reminded") == 0
    assert remind(on=date(2026, 5, 27)).count("reminded") == 0
    assert len(mail_to.received.mails) == 6  # three requests, three reminders

    run = ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=run))
    assert artifact.key == "remind-2026-05-26" and artifact.type == "table"
    assert "ben@example.org" in str(artifact.data) and "reminded" in str(artifact.data)


def test_a_refused_reminder_fails_the_run_and_only_it_is_retried(
    settings_env: Path, prefect_harness: None, mail_to: SmtpServer
) -> None:
    _asked()
    asked = len(mail_to.received.mails)
    mail_to.received.refuse = {"ben@example.org"}
    with pytest.raises(NotReachedError, match=r"1 recipient\(s\) not reached: ben@example.org"):
        remind(on=date(2026, 5, 26))
    assert sorted(m["To"] for m in mail_to.received.mails[asked:]) == [
        "anna@example.org",
        "cem@example.org",
    ]
    mail_to.received.refuse = set()
    outcome = remind(on=date(2026, 5, 26))
    assert [c.email for c in outcome.contacts if c.action == "reminded"] == ["ben@example.org"]
    assert remind(on=date(2026, 5, 26)).count("reminded") == 0
    reminders = mail_to.received.mails[asked:]
    assert len(reminders) == 3 and all(_works(_token(mail)) for mail in reminders)
