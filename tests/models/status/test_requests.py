from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from models import StatusRequest
from models.db import session_scope
from models.enums import MeasureStatus
from models.errors import UnsentRequestError
from models.status.requests import chase, latest_request, people_with_live_links
from tests.builders import catalogue, status

BERLIN = ZoneInfo("Europe/Berlin")
DAYS = [date(2026, 5, 26), date(2026, 6, 1), date(2026, 6, 5)]


def _request(sent_on: date, reminders: int = 0, escalated: bool = False) -> StatusRequest:
    return StatusRequest(
        sent_at=datetime.combine(sent_on, datetime.min.time(), tzinfo=UTC).replace(hour=8),
        reminder_count=reminders,
        last_reminded_at=None,
        escalated_at=datetime(2026, 6, 8, tzinfo=UTC) if escalated else None,
    )


def _on(request: StatusRequest, day: date) -> tuple[bool, int, bool]:
    plan = chase(request=request, reminder_days=DAYS, on=day, zone=BERLIN, state="NW")
    return plan.remind, plan.stage, plan.escalate


def test_reminders_go_on_reminder_days_and_a_missed_one_is_caught_up_once() -> None:
    assert _on(_request(date(2026, 5, 15)), date(2026, 5, 25)) == (False, 0, False)
    assert _on(_request(date(2026, 5, 15)), date(2026, 5, 26)) == (True, 1, False)
    assert _on(_request(date(2026, 5, 15), reminders=1), date(2026, 5, 27)) == (False, 1, False)
    # No run on 01.06.: the reminder follows on the next working day, and only one.
    assert _on(_request(date(2026, 5, 15), reminders=1), date(2026, 6, 2)) == (True, 2, False)
    assert _on(_request(date(2026, 5, 15), reminders=1), date(2026, 6, 6)) == (False, 3, False)


def test_escalation_follows_the_last_reminder_on_a_working_day_once() -> None:
    reminded = _request(date(2026, 5, 15), reminders=3)
    assert _on(reminded, date(2026, 6, 5)) == (False, 3, False)
    assert _on(reminded, date(2026, 6, 6)) == (False, 3, False)  # Saturday
    assert _on(reminded, date(2026, 6, 8)) == (False, 3, True)
    assert _on(_request(date(2026, 5, 15), 3, escalated=True), date(2026, 6, 9))[2] is False
    # Never reminded (the last reminder could not go out): no escalation yet.
    assert _on(_request(date(2026, 5, 15), reminders=2), date(2026, 6, 8)) == (True, 3, False)


def test_a_request_never_sent_is_not_chased() -> None:
    unsent = StatusRequest(sent_at=None, reminder_count=0, last_reminded_at=None)
    with pytest.raises(UnsentRequestError, match="never sent"):
        _on(unsent, date(2026, 6, 8))


def test_a_request_sent_late_skips_the_reminder_days_before_it() -> None:
    late = _request(date(2026, 5, 28))
    assert _on(late, date(2026, 5, 29)) == (False, 0, False)
    assert _on(late, date(2026, 6, 1)) == (True, 1, False)
    assert _on(_request(date(2026, 5, 28), reminders=2), date(2026, 6, 8)) == (False, 2, True)


def test_calendars_stay_live_for_asked_owners_of_open_measures_also_between_periods(
    settings_env: Path,
) -> None:
    at = datetime(2026, 7, 15, 9, tzinfo=UTC)
    with session_scope() as session:
        town, elsewhere = catalogue.municipality(session), catalogue.municipality(session, slug="b")
        anna, ben, cem, dora = (catalogue.person(session, town) for _ in range(4))
        q1 = status.period(session, town, "2026-Q1")
        q2 = status.period(session, town, "2026-Q2")
        # Anna's newer request was created first: the period decides, not the row's id.
        status.status_request(session, q2, anna, expires_at=at + timedelta(days=1))
        status.status_request(session, q1, anna, expires_at=at - timedelta(days=90))
        # Ben's links have all expired, but he still owns an open measure: asked again soon.
        status.status_request(session, q1, ben, expires_at=at - timedelta(days=30))
        # Dora was asked, but her measure is done since: nothing more to follow.
        status.status_request(session, q2, dora, expires_at=at + timedelta(days=1))
        catalogue.measure(session, town, owner_id=anna.id)
        catalogue.measure(session, town, owner_id=ben.id)
        catalogue.measure(session, town, owner_id=cem.id)  # never asked: no link was ever given
        catalogue.measure(session, town, owner_id=dora.id, status=MeasureStatus.DONE)
        # Someone of another municipality is not theirs to tell.
        other = catalogue.person(session, elsewhere)
        catalogue.measure(session, elsewhere, owner_id=other.id)
        status.status_request(
            session, status.period(session, elsewhere, "2026-Q2"), other, expires_at=at
        )

        live = people_with_live_links(session=session, municipality_id=town.id)
        assert live == {anna.id, ben.id}
        found = latest_request(session=session, person_id=anna.id)
        assert found is not None and found.period.code == "2026-Q2"
        assert latest_request(session=session, person_id=cem.id) is None
