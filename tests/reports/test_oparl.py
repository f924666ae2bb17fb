"""Reading a committee's meetings from a council information system (OParl 1.1) on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from models.db import session_scope
from models.meeting import MeetingSource, committee_schedules
from reports.oparl import OparlError, council_client, read_meetings, refresh_meetings
from tests.builders import catalogue
from tests.loopback import OparlServer

BERLIN = ZoneInfo("Europe/Berlin")


def _fill(server: OparlServer) -> None:
    server.add(1, "2026-09-17T17:00:00+02:00")
    server.add(2, "2026-10-20T17:00:00+02:00")
    server.add(3, "2026-11-05T17:00:00+01:00", cancelled=True)
    server.add(4, "2026-11-26T17:00:00+01:00")
    server.add(5, "2027-01-21T17:00:00+01:00")


def test_every_page_of_the_meeting_list_is_read(oparl_server: OparlServer) -> None:
    _fill(oparl_server)
    with council_client() as client:
        meetings = read_meetings(oparl_server.organization_url, client=client, zone=BERLIN)
    assert [m.starts_at.date() for m in meetings] == [
        date(2026, 9, 17),
        date(2026, 10, 20),
        date(2026, 11, 5),
        date(2026, 11, 26),
        date(2027, 1, 21),
    ]
    assert [m.cancelled for m in meetings] == [False, False, True, False, False]
    assert meetings[1].name == "2. Sitzung des Ausschusses für Digitalisierung"
    assert meetings[1].oparl_id == f"{oparl_server.base}/meeting/2"
    pages = [path for path in oparl_server.requests if "/meetings" in path]
    assert pages == [
        "/oparl/v1/organization/34/meetings",
        "/oparl/v1/organization/34/meetings?page=2",
        "/oparl/v1/organization/34/meetings?page=3",
    ]


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("body_url", "is not an OParl 1.1 Organization (its type is "),
        ("broken_url", "did not answer with valid JSON"),
        ("missing", "answered HTTP 404"),
    ],
)
def test_a_url_that_is_no_organization_is_named_with_why(
    oparl_server: OparlServer, which: str, reason: str
) -> None:
    url = (
        f"{oparl_server.base}/organization/99"
        if which == "missing"
        else getattr(oparl_server, which)
    )
    with council_client() as client, pytest.raises(OparlError) as raised:
        read_meetings(url, client=client, zone=BERLIN)
    assert str(raised.value).startswith(f"{url}: {reason}")
    if which == "body_url":
        assert str(raised.value).endswith("its type is https://schema.oparl.org/1.1/Body)")


def test_a_council_system_that_is_down_or_silent_is_named(oparl_server: OparlServer) -> None:
    oparl_server.stop()
    with council_client() as client, pytest.raises(OparlError) as raised:
        read_meetings(oparl_server.organization_url, client=client, zone=BERLIN)
    assert str(raised.value).startswith(f"{oparl_server.organization_url}: cannot be reached")


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/oparl/v1/organization/34"


def test_a_council_system_that_does_not_answer_times_out(silent_url: str) -> None:
    with council_client(timeout=httpx.Timeout(0.5)) as client, pytest.raises(OparlError) as raised:
        read_meetings(silent_url, client=client, zone=BERLIN)
    assert str(raised.value) == f"{silent_url}: did not answer in time"


def _committee(url: str, typed: tuple[date, ...] = ()) -> int:
    with session_scope() as session:
        town = catalogue.municipality(session)
        catalogue.committee(session, town, name="Ausschuss für Digitalisierung", oparl_url=url)
        catalogue.committee(session, town, name="Hauptausschuss", meetings=typed)
        return town.id


def _next_meetings(town_id: int, after: date) -> list[tuple[date, MeetingSource]]:
    with session_scope() as session:
        schedule, _ = committee_schedules(session=session, municipality_id=town_id, zone=BERLIN)
    return [(m.meets_on, m.source) for m in schedule.meetings if m.meets_on > after]


def test_a_refresh_caches_the_meetings_and_a_moved_one_moves(
    settings_env: Path, oparl_server: OparlServer
) -> None:
    _fill(oparl_server)
    town_id = _committee(oparl_server.organization_url)
    (reading,) = refresh_meetings(municipality_id=town_id, zone=BERLIN)
    assert reading.ok and reading.meetings == 5
    after_q3 = date(2026, 9, 30)
    assert _next_meetings(town_id, after_q3) == [
        (date(2026, 10, 20), MeetingSource.OPARL),
        (date(2026, 11, 26), MeetingSource.OPARL),
        (date(2027, 1, 21), MeetingSource.OPARL),
    ]
    oparl_server.move(2, "2026-10-27T17:00:00+01:00")
    refresh_meetings(municipality_id=town_id, zone=BERLIN)
    assert _next_meetings(town_id, after_q3)[0] == (date(2026, 10, 27), MeetingSource.OPARL)


def test_while_the_council_system_is_down_the_cache_is_used_and_the_reading_says_so(
    settings_env: Path, oparl_server: OparlServer
) -> None:
    _fill(oparl_server)
    town_id = _committee(oparl_server.organization_url)
    (good,) = refresh_meetings(municipality_id=town_id, zone=BERLIN)
    oparl_server.stop()
    (down,) = refresh_meetings(municipality_id=town_id, zone=BERLIN)
    assert not down.ok and "cannot be reached" in down.error
    assert good.known_since is not None and down.known_since == good.known_since
    shown = good.known_since.astimezone(BERLIN)
    assert down.note(BERLIN) == (
        f"Ausschuss für Digitalisierung: council system not read, {down.error}; "
        f"using the dates read on {shown:%Y-%m-%d %H:%M}"
    )
    assert _next_meetings(town_id, date(2026, 9, 30))[0] == (
        date(2026, 10, 20),
        MeetingSource.OPARL,
    )
    with session_scope() as session:
        schedule, _ = committee_schedules(session=session, municipality_id=town_id, zone=BERLIN)
    assert schedule.error == down.error and schedule.fetched_at == good.known_since
