from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from models import StatusRequest
from models.status_requests import chase

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


def test_a_request_sent_late_skips_the_reminder_days_before_it() -> None:
    late = _request(date(2026, 5, 28))
    assert _on(late, date(2026, 5, 29)) == (False, 0, False)
    assert _on(late, date(2026, 6, 1)) == (True, 1, False)
    assert _on(_request(date(2026, 5, 28), reminders=2), date(2026, 6, 8)) == (False, 2, True)
