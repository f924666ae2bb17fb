from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from models import OzgService, ReportingPeriod, StatusRequest
from models.answers import new_token
from models.db import session_scope
from models.deadlines import Deadline, DeadlineKind
from models.enums import MaturityModel, MilestoneKind
from models.settings import get_settings
from portal.app import create_app
from portal.ical import build_calendar
from tests import factories

STAMP = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)


def _deadlines() -> list[Deadline]:
    common = {"municipality_id": 1, "measure_code": "V-03", "measure_title": "E-Akte"}
    return [
        Deadline(
            kind=DeadlineKind.MILESTONE,
            source_id=42,
            due_on=date(2026, 3, 29),
            title="Ausschreibung",
            milestone_kind=MilestoneKind.LEGAL,
            **common,
        ),
        Deadline(
            kind=DeadlineKind.MEASURE_END,
            source_id=3,
            due_on=date(2026, 10, 25),
            title="E-Akte",
            **common,
        ),
        Deadline(
            kind=DeadlineKind.OZG_SERVICE,
            source_id=5,
            due_on=date(2022, 12, 31),
            title="Wohngeld",
            ozg_id="10218",
            maturity_model=MaturityModel.V1_1,
            maturity_current=2,
            maturity_target=3,
            **common,
        ),
    ]


def _build(stamp: datetime = STAMP) -> Calendar:
    body = build_calendar(
        _deadlines(),
        slugs={1: "meerbusch"},
        name="Fristen",
        language="de",
        zone="Europe/Berlin",
        stamp=stamp,
    )
    assert b"\r\n" in body, "RFC 5545 lines end in CRLF"
    return Calendar.from_ical(body)


def test_the_calendar_parses_back_with_all_day_events() -> None:
    calendar = _build()
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Digitalfahrplan//Fristen//DE"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Berlin"
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert sorted(events) == [
        "measure-end-3@meerbusch.digitalfahrplan",
        "milestone-42@meerbusch.digitalfahrplan",
        "ozg-service-5@meerbusch.digitalfahrplan",
    ]
    spring = events["milestone-42@meerbusch.digitalfahrplan"]
    assert spring.decoded("DTSTART") == date(2026, 3, 29)
    assert not isinstance(spring.decoded("DTSTART"), datetime)
    assert spring["DTSTART"].params["VALUE"] == "DATE"
    assert spring.decoded("DTEND") == date(2026, 3, 30)
    assert spring.decoded("DTSTAMP") == STAMP
    assert str(spring["SUMMARY"]) == "V-03: Ausschreibung"
    assert "Gesetzliche Frist" in str(spring["DESCRIPTION"])
    autumn = events["measure-end-3@meerbusch.digitalfahrplan"]
    assert (autumn.decoded("DTSTART"), autumn.decoded("DTEND")) == (
        date(2026, 10, 25),
        date(2026, 10, 26),
    )
    ozg = events["ozg-service-5@meerbusch.digitalfahrplan"]
    assert str(ozg["SUMMARY"]).startswith("V-03: OZG-Leistung 10218 Wohngeld: Reifegrad 3")


def test_uids_stay_the_same_across_builds() -> None:
    first = [str(e["UID"]) for e in _build().walk("VEVENT")]
    later = [str(e["UID"]) for e in _build(STAMP + timedelta(days=1)).walk("VEVENT")]
    assert first == later
    assert len(set(first)) == 3


def test_an_empty_calendar_is_still_valid() -> None:
    body = build_calendar(
        [], slugs={}, name="Fristen", language="en", zone="Europe/Berlin", stamp=STAMP
    )
    calendar = Calendar.from_ical(body)
    assert calendar.walk("VEVENT") == []
    assert calendar["X-WR-CALNAME"] == "Fristen"


@pytest.fixture
def client(settings_env: Path) -> TestClient:
    return TestClient(create_app())


def _owner_with_requests() -> dict[str, str]:
    """Anna with two quarters' links, Ben with an expired one; their tokens by name."""
    tokens = {name: new_token() for name in ("anna-q1", "anna-q2", "ben")}
    now = datetime.now(UTC)
    with session_scope() as session:
        town = factories.municipality(session, slug="meerbusch", name="Meerbusch")
        anna = factories.person(session, town, name="Anna Amt")
        ben = factories.person(session, town, name="Ben Büro", language="en")
        akte = factories.measure(
            session, town, code="V-01", owner_id=anna.id, ends_on=date(2026, 9, 30)
        )
        factories.milestone(session, akte, date(2026, 3, 29), title="Ausschreibung")
        factories.milestone(
            session, akte, date(2026, 2, 1), title="Erledigt", done_on=date(2026, 2, 1)
        )
        portal = factories.measure(session, town, code="V-02", owner_id=ben.id)
        session.add(
            OzgService(
                municipality_id=town.id,
                ozg_id="10218",
                name="Wohngeld",
                measure_id=portal.id,
                maturity_current=1,
            )
        )
        periods = {}
        for code, starts in (("2026-Q1", date(2026, 1, 1)), ("2026-Q2", date(2026, 4, 1))):
            periods[code] = ReportingPeriod(
                municipality_id=town.id,
                code=code,
                starts_on=starts,
                ends_on=starts + timedelta(days=89),
                due_on=starts + timedelta(days=14),
                closes_on=starts + timedelta(days=89),
            )
        session.add_all(periods.values())
        session.flush()
        for code, person, token, expires in (
            ("2026-Q1", anna, tokens["anna-q1"], now - timedelta(days=1)),
            ("2026-Q2", anna, tokens["anna-q2"], now + timedelta(days=30)),
            ("2026-Q2", ben, tokens["ben"], now - timedelta(seconds=1)),
        ):
            session.add(
                StatusRequest(
                    period_id=periods[code].id,
                    person_id=person.id,
                    token_hash=token[1],
                    expires_at=expires,
                )
            )
    return {name: token for name, (token, _) in tokens.items()}


def test_an_owner_feed_lists_only_their_open_deadlines(client: TestClient) -> None:
    tokens = _owner_with_requests()
    response = client.get(f"/ical/{tokens['anna-q2']}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == [
        "V-01: Ausschreibung",
        "V-01: Geplantes Ende der Maßnahme",
    ]
    assert all(
        str(e["UID"]).endswith("@meerbusch.digitalfahrplan") for e in calendar.walk("VEVENT")
    )
    # A calendar subscribed with last quarter's link lives on with the owner's newest request.
    older = client.get(f"/ical/{tokens['anna-q1']}.ics")
    assert older.status_code == 200
    assert older.content.count(b"BEGIN:VEVENT") == 2


def test_unknown_tokens_are_not_found_and_expired_ones_gone(client: TestClient) -> None:
    tokens = _owner_with_requests()
    assert client.get("/ical/not-a-token.ics").status_code == 404
    assert client.get(f"/ical/{tokens['ben']}.ics").status_code == 410


def test_the_coordinator_feed_needs_the_configured_key(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _owner_with_requests()
    assert client.get("/ical/coordinator/anything.ics").status_code == 404
    monkeypatch.setenv("FAHRPLAN_CALENDAR_KEY", "s3cret-calendar-key")
    get_settings.cache_clear()
    assert client.get("/ical/coordinator/wrong.ics").status_code == 404
    response = client.get("/ical/coordinator/s3cret-calendar-key.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = sorted(
        str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")
    )
    assert summaries == [
        "V-01: Ausschreibung",
        "V-01: Geplantes Ende der Maßnahme",
        "V-02: OZG-Leistung 10218 Wohngeld: Reifegrad 3 „Online-Leistung“ "
        "(jetzt 1, Reifegradmodell 1.1)",
    ]


def test_guessed_feed_links_count_against_the_client_and_are_kept_out_of_the_log(
    client: TestClient,
) -> None:
    from portal.security import BAD_TOKEN_LIMIT, redacted

    for attempt in range(BAD_TOKEN_LIMIT):
        assert client.get(f"/ical/guess{attempt:040d}.ics").status_code == 404
    assert client.get("/ical/one-more-guess.ics").status_code == 429
    assert redacted("GET /ical/abcdef.ics HTTP/1.1") == "GET /ical/*** HTTP/1.1"
