"""The owner's calendar link in the status request, its reminders and the deadline digest."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from icalendar import Calendar

from flows.common import local_today, run_instant
from flows.deadlines.plan import plan_deadlines
from flows.status import chasing
from models import Measure, Municipality, ReportingPeriod
from models.calendar import reminder_days
from models.db import session_scope
from models.settings import get_settings
from notify import Message
from notify.deadline_messages import DIGEST_KIND
from portal.app import create_app
from tests.builders import catalogue
from tests.builders.status_town import Town, asked_town

STATUS_LINK = re.compile(r"/s/([A-Za-z0-9_-]{43})")
CALENDAR_LINK = re.compile(r"http://127\.0\.0\.1:8080(/ical/[0-9]+-[A-Za-z0-9_-]{43}\.ics)")


class RecordingChannel:
    """Keeps what it is given to send."""

    name = "outbox"

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def send(self, message: Message) -> None:
        self.messages.append(message)

    def close(self) -> None:
        pass

    def to(self, recipient: str) -> list[Message]:
        return [message for message in self.messages if message.recipient == recipient]


def _calendar_path(message: Message) -> str:
    (path,) = set(CALENDAR_LINK.findall(message.text))
    assert f'href="http://127.0.0.1:8080{path}"' in message.html
    assert f'href="webcal://127.0.0.1:8080{path}"' in message.html
    return str(path)


def _milestone(code: str, due_on: date, title: str) -> None:
    with session_scope() as session:
        measure = session.scalars(sa.select(Measure).where(Measure.code == code)).one()
        catalogue.milestone(session, measure, due_on, title=title)


def _asked_today(channel: RecordingChannel) -> tuple[Town, date]:
    """The small town's owners asked for the current quarter, today."""
    today = local_today(get_settings().zone)
    town, outcome = asked_town(today, channel=channel)
    assert outcome.count("asked")
    return town, today


def test_the_calendar_link_stays_the_same_across_reminders_and_opens_the_feed(
    settings_env: Path,
) -> None:
    channel = RecordingChannel()
    town, today = _asked_today(channel)
    anna, ben, _ = town.owners
    (bens_measure,) = town.measure_codes[ben]
    _milestone(bens_measure, today + timedelta(days=40), "Launch")
    _milestone(town.measure_codes[anna][0], today + timedelta(days=40), "Vergabe")
    (asked,) = channel.to(ben)
    with session_scope() as session:
        period = session.scalars(sa.select(ReportingPeriod)).one()
        first_reminder_day = reminder_days(
            period.due_on, get_settings().reminder_offsets, state="NW"
        )[0]
    chasing.chase_owners(
        municipality_id=town.municipality_id,
        at=run_instant(first_reminder_day, get_settings().zone),
        channel=channel,
    )
    asked_again = channel.to(ben)[-1]
    assert asked_again.kind == "status-reminder"

    # The reminder repeats both the status link and the calendar link.
    assert STATUS_LINK.findall(asked_again.text) == STATUS_LINK.findall(asked.text)
    calendar = _calendar_path(asked)
    assert _calendar_path(asked_again) == calendar
    others = {_calendar_path(channel.to(owner)[0]) for owner in town.owners}
    assert len(others) == len(town.owners)

    client = TestClient(create_app())
    response = client.get(calendar)
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [f"{bens_measure}: Launch"]
    (old_status_token,) = set(STATUS_LINK.findall(asked.text))
    assert client.get(f"/ical/{old_status_token}.ics").status_code == 404


def test_the_digest_offers_the_calendar_to_owners_whose_link_works(settings_env: Path) -> None:
    channel = RecordingChannel()
    town, today = _asked_today(channel)
    anna = town.owners[0]
    soon = today + timedelta(days=7)
    _milestone(town.measure_codes[anna][0], soon, "Vergabe")
    with session_scope() as session:
        # Dora became an owner after the requests went out: no link, so no calendar yet.
        municipality = session.get_one(Municipality, town.municipality_id)
        dora = catalogue.person(session, municipality, name="Dora", email="dora@example.org")
        doras = catalogue.measure(session, municipality, owner_id=dora.id)
        catalogue.milestone(session, doras, soon, title="Abnahme")

    plan = plan_deadlines(municipality_id=town.municipality_id, on=today, settings=get_settings())
    digests = {m.recipient: m for m in plan.messages if m.kind == DIGEST_KIND}
    assert set(digests) == {anna, "dora@example.org"}
    assert _calendar_path(digests[anna]) == _calendar_path(channel.to(anna)[0])
    assert "/ical/" not in digests["dora@example.org"].text
    assert "/ical/" not in digests["dora@example.org"].html
