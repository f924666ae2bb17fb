"""The merged schedule of a committee and the cache of what its council system said."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from models.db import session_scope
from models.meeting import (
    CommitteeSchedule,
    CouncilMeeting,
    MeetingSource,
    committee_schedules,
    merge_meetings,
    note_council_failure,
    store_council_meetings,
)
from models.person import Committee
from tests.builders import catalogue

BERLIN = ZoneInfo("Europe/Berlin")
URL = "https://ris.example.org/oparl/organization/7"


def _meeting(number: int, start: str, *, cancelled: bool = False) -> CouncilMeeting:
    return CouncilMeeting(
        oparl_id=f"https://ris.example.org/oparl/meeting/{number}",
        name=f"{number}. Sitzung",
        starts_at=datetime.fromisoformat(start),
        cancelled=cancelled,
    )


def test_a_start_late_in_the_evening_utc_is_the_next_day_in_berlin() -> None:
    held, _ = merge_meetings(typed=[], council=[_meeting(1, "2026-11-04T23:30:00Z")], zone=BERLIN)
    assert [m.meets_on for m in held] == [date(2026, 11, 5)]
    held, _ = merge_meetings(
        typed=[], council=[_meeting(1, "2026-11-04T23:30:00Z")], zone=ZoneInfo("UTC")
    )
    assert [m.meets_on for m in held] == [date(2026, 11, 4)]


def test_the_council_system_speaks_up_to_its_last_meeting_and_typed_dates_follow() -> None:
    council = [
        _meeting(1, "2026-09-24T17:00:00+02:00"),  # moved from the typed 17.09.
        _meeting(2, "2026-10-22T17:00:00+02:00", cancelled=True),
        _meeting(3, "2026-11-26T17:00:00+01:00"),
    ]
    typed = [date(2026, 3, 12), date(2026, 9, 17), date(2026, 10, 22), date(2027, 2, 4)]
    held, cancelled = merge_meetings(typed=typed, council=council, zone=BERLIN)
    assert [(m.meets_on, m.source) for m in held] == [
        (date(2026, 9, 24), MeetingSource.OPARL),
        (date(2026, 11, 26), MeetingSource.OPARL),
        (date(2027, 2, 4), MeetingSource.TYPED),
    ]
    assert [(m.meets_on, m.name) for m in cancelled] == [(date(2026, 10, 22), "2. Sitzung")]


def test_without_anything_read_the_typed_dates_are_the_schedule() -> None:
    held, cancelled = merge_meetings(
        typed=[date(2026, 11, 26), date(2026, 9, 17)], council=[], zone=BERLIN
    )
    assert [m.meets_on for m in held] == [date(2026, 9, 17), date(2026, 11, 26)]
    assert all(m.source is MeetingSource.TYPED for m in held) and cancelled == []


def _committee(*, typed: tuple[date, ...] = ()) -> int:
    with session_scope() as session:
        town = catalogue.municipality(session)
        return catalogue.committee(session, town, meetings=typed, oparl_url=URL).id


def _schedule(committee_id: int) -> CommitteeSchedule:
    with session_scope() as session:
        committee = session.get(Committee, committee_id)
        assert committee is not None
        town_id = committee.municipality_id
        (schedule,) = committee_schedules(session=session, municipality_id=town_id, zone=BERLIN)
        return schedule


def _store(committee_id: int, meetings: list[CouncilMeeting], fetched_at: datetime) -> bool:
    with session_scope() as session:
        return store_council_meetings(
            session=session,
            committee_id=committee_id,
            url=URL,
            meetings=meetings,
            fetched_at=fetched_at,
        )


def test_a_failed_reading_keeps_the_meetings_read_before_and_says_why(settings_env: Path) -> None:
    committee_id = _committee(typed=(date(2026, 9, 17),))
    read_at = datetime(2026, 9, 1, 6, tzinfo=UTC)
    assert _store(committee_id, [_meeting(1, "2026-09-24T17:00:00+02:00")], read_at)
    with session_scope() as session:
        note_council_failure(
            session=session,
            committee_id=committee_id,
            url=URL,
            error="cannot be reached",
            failed_at=read_at + timedelta(days=1),
        )
    schedule = _schedule(committee_id)
    assert schedule.days == [date(2026, 9, 24)]
    assert schedule.fetched_at == read_at and schedule.error == "cannot be reached"
    later = read_at + timedelta(days=2)
    assert _store(committee_id, [_meeting(1, "2026-10-01T17:00:00+02:00")], later)
    schedule = _schedule(committee_id)
    assert schedule.days == [date(2026, 10, 1)] and schedule.error == ""


def test_an_older_reading_that_arrives_late_is_dropped(settings_env: Path) -> None:
    committee_id = _committee()
    newer, older = datetime(2026, 9, 2, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC)
    assert _store(committee_id, [_meeting(1, "2026-10-01T17:00:00+02:00")], newer)
    assert not _store(committee_id, [_meeting(1, "2026-09-24T17:00:00+02:00")], older)
    schedule = _schedule(committee_id)
    assert schedule.days == [date(2026, 10, 1)] and schedule.fetched_at == newer


def test_another_url_in_the_catalogue_voids_what_the_old_one_said(settings_env: Path) -> None:
    committee_id = _committee(typed=(date(2026, 9, 17),))
    _store(
        committee_id, [_meeting(1, "2026-09-24T17:00:00+02:00")], datetime(2026, 9, 1, tzinfo=UTC)
    )
    with session_scope() as session:
        committee = session.get(Committee, committee_id)
        assert committee is not None
        committee.oparl_url = "https://other.example.org/oparl/organization/1"
    schedule = _schedule(committee_id)
    assert schedule.days == [date(2026, 9, 17)] and schedule.fetched_at is None


def test_two_readings_stored_at_once_leave_the_newer_one(settings_env: Path) -> None:
    committee_id = _committee()
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def store(day: int) -> None:
        meetings = [_meeting(n, f"2026-10-{day:02d}T17:00:00+02:00") for n in (1, 2, 3)]
        try:
            with session_scope() as session:
                barrier.wait()
                store_council_meetings(
                    session=session,
                    committee_id=committee_id,
                    url=URL,
                    meetings=meetings,
                    fetched_at=datetime(2026, 9, day, tzinfo=UTC),
                )
        except BaseException as error:
            failures.append(error)

    for _ in range(5):
        threads = [threading.Thread(target=store, args=(day,)) for day in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    schedule = _schedule(committee_id)
    assert schedule.days == [date(2026, 10, 2)] * 3
    assert schedule.fetched_at == datetime(2026, 9, 2, tzinfo=UTC)
