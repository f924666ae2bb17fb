from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from icalendar import Calendar

from models import Measure, StatusRequest
from models.calendar_link import calendar_token
from models.db import session_scope
from models.enums import MeasureStatus, MilestoneKind
from models.roadmap import Deadline
from models.settings import get_settings
from models.status.answers import new_token
from portal.ical import build_calendar
from tests.builders import catalogue, deadlines, ozg, status
from tests.portal.conftest import SECRET_KEY

STAMP = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)


def _deadlines() -> list[Deadline]:
    measure = {"measure_code": "V-03", "measure_title": "E-Akte"}
    return [
        deadlines.milestone(
            date(2026, 3, 29),
            source_id=42,
            title="Ausschreibung",
            milestone_kind=MilestoneKind.LEGAL,
            **measure,
        ),
        deadlines.measure_end(date(2026, 10, 25), source_id=3, title="E-Akte", **measure),
        deadlines.ozg_service(source_id=5, **measure),
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


def _owners() -> dict[str, int]:
    """Anna asked in two quarters (the latest link open), Ben whose only link has expired,
    Cem never asked; their person ids by name."""
    now = datetime.now(UTC)
    with session_scope() as session:
        town = catalogue.municipality(session, slug="meerbusch", name="Meerbusch")
        anna = catalogue.person(session, town, name="Anna Amt")
        ben = catalogue.person(session, town, name="Ben Büro", language="en")
        cem = catalogue.person(session, town, name="Cem Cetin")
        akte = catalogue.measure(
            session, town, code="V-01", owner_id=anna.id, ends_on=date(2026, 9, 30)
        )
        catalogue.milestone(session, akte, date(2026, 3, 29), title="Ausschreibung")
        catalogue.milestone(
            session, akte, date(2026, 2, 1), title="Erledigt", done_on=date(2026, 2, 1)
        )
        portal = catalogue.measure(session, town, code="V-02", owner_id=ben.id)
        ozg.ozg_service(
            session, town, ozg_id="10218", name="Wohngeld", measure_id=portal.id, maturity_current=1
        )
        periods = {code: status.period(session, town, code) for code in ("2026-Q1", "2026-Q2")}
        for code, person, expires in (
            ("2026-Q1", anna, now - timedelta(days=1)),
            ("2026-Q2", anna, now + timedelta(days=30)),
            ("2026-Q2", ben, now - timedelta(seconds=1)),
        ):
            status.status_request(session, periods[code], person, expires_at=expires)
        return {"anna": anna.id, "ben": ben.id, "cem": cem.id}


def _feed(person_id: int) -> str:
    return f"/ical/{calendar_token(SECRET_KEY.encode(), person_id)}.ics"


def test_an_owner_feed_lists_only_their_open_deadlines(client: TestClient) -> None:
    owners = _owners()
    response = client.get(_feed(owners["anna"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Meine Fristen – Meerbusch"
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == [
        "V-01: Ausschreibung",
        "V-01: Geplantes Ende der Maßnahme",
    ]
    assert all(
        str(e["UID"]).endswith("@meerbusch.digitalfahrplan") for e in calendar.walk("VEVENT")
    )


def test_forged_tokens_are_not_found_and_an_owner_without_open_measures_is_gone(
    client: TestClient,
) -> None:
    owners = _owners()
    annas_mac = calendar_token(SECRET_KEY.encode(), owners["anna"]).split("-", 1)[1]
    under_another_key = calendar_token(b"a different key of some length", owners["anna"])
    for forged in (
        f"{owners['ben']}-{annas_mac}",
        f"{owners['anna']}-{'A' * 43}",
        under_another_key,
        "not-a-token",
    ):
        assert client.get(f"/ical/{forged}.ics").status_code == 404, forged
    # Ben's links have expired, but he still owns an open measure: his calendar keeps working
    # between periods. Once his measure is done, there is nothing more to follow.
    assert client.get(_feed(owners["ben"])).status_code == 200
    with session_scope() as session:
        measure = session.scalars(sa.select(Measure).where(Measure.owner_id == owners["ben"])).one()
        measure.status = MeasureStatus.DONE
    gone = client.get(_feed(owners["ben"]))
    assert gone.status_code == 410 and "2026-Q2" in gone.text
    # Cem was never asked, so nobody ever gave him a calendar link.
    assert client.get(_feed(owners["cem"])).status_code == 404


def test_the_status_link_of_a_request_does_not_open_a_calendar(client: TestClient) -> None:
    token, token_hash = new_token()
    owners = _owners()
    with session_scope() as session:
        request = session.scalars(
            sa.select(StatusRequest).where(StatusRequest.person_id == owners["anna"])
        ).first()
        assert request is not None
        request.token_hash = token_hash
    assert client.get(f"/ical/{token}.ics").status_code == 404


def test_the_coordinator_feed_needs_the_configured_key(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _owners()
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
    assert redacted("GET /ical/12-abcdef.ics HTTP/1.1") == "GET /ical/*** HTTP/1.1"
    assert redacted("GET /ical/coordinator/k3y.ics") == "GET /ical/coordinator/***"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("de", "Fristen im Kalender abonnieren"), ("en", "Subscribe to your deadlines")],
)
def test_the_owners_page_offers_their_calendar(
    client: TestClient, language: str, heading: str
) -> None:
    with session_scope() as session:
        asked = status.ask(session, language=language)
        person_id = session.get_one(StatusRequest, asked.request_id).person_id
    url = f"http://127.0.0.1:8080{_feed(person_id)}"
    page = client.get(asked.path)
    assert page.status_code == 200
    assert f'<h2 id="calendar-title">{heading}</h2>' in page.text
    assert f'<code class="calendar-url">{url}</code>' in page.text
    assert f'href="webcal://127.0.0.1:8080{_feed(person_id)}"' in page.text
    assert client.get(_feed(person_id)).status_code == 200
