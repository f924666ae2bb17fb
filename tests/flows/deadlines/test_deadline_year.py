"""A year of daily deadline checks on a fake clock, across both changes of summer time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from flows.common import local_today
from flows.deadlines.plan import DeadlinePlan, plan_deadlines
from models import Milestone, Notification, OzgService
from models.db import session_scope
from models.enums import MaturityModel, MilestoneKind
from models.settings import get_settings
from notify import dispatch
from tests.builders import catalogue, ozg

BERLIN = ZoneInfo("Europe/Berlin")
SPRING_FORWARD = date(2026, 3, 29)
FALL_BACK = date(2026, 10, 25)


def mornings(first: date, last: date) -> Iterator[datetime]:
    """The fake clock: 06:00 local time on every day, as the UTC instants a scheduler sees."""
    day = first
    while day <= last:
        yield datetime(day.year, day.month, day.day, 6, tzinfo=BERLIN).astimezone(UTC)
        day += timedelta(days=1)


def mondays(first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).isoweekday() == 1
    ]


def days(*given: tuple[int, int]) -> list[date]:
    return [date(2026, month, day) for month, day in given]


Change = Callable[[Session], None]


def _catalogue() -> tuple[int, dict[str, str], dict[date, Change]]:
    """The town, each deadline's UID by name, and what owners change on which morning."""
    with session_scope() as session:
        town = catalogue.municipality(session)
        anna = catalogue.person(session, town, name="Anna Amt", email="anna@example.org")
        ben = catalogue.person(
            session, town, name="Ben Büro", email="ben@example.org", language="en"
        )
        catalogue.person(
            session, town, name="Stabsstelle", email="digital@example.org", is_coordinator=True
        )
        akte = catalogue.measure(
            session, town, code="V-01", title="E-Akte", owner_id=anna.id, ends_on=date(2026, 12, 18)
        )
        foerderung = catalogue.measure(session, town, code="V-02", title="WLAN", owner_id=anna.id)
        portal = catalogue.measure(session, town, code="V-03", title="Portal", owner_id=ben.id)
        tender = catalogue.milestone(session, akte, SPRING_FORWARD, title="Ausschreibung")
        award = catalogue.milestone(
            session, akte, FALL_BACK, title="Vergabe", kind=MilestoneKind.LEGAL
        )
        grant = catalogue.milestone(session, foerderung, date(2026, 4, 5), title="Förderbescheid")
        housing = ozg.ozg_service(
            session,
            town,
            ozg_id="10218",
            name="Wohngeld",
            measure_id=portal.id,
            maturity_model=MaturityModel.V1_1,
            maturity_current=2,
            maturity_target=3,
            deadline_on=date(2026, 6, 30),
        )
        dogs = ozg.ozg_service(
            session,
            town,
            ozg_id="10220",
            name="Hundesteuer",
            measure_id=portal.id,
            maturity_model=MaturityModel.V2_0,
            maturity_current=4,
            maturity_target=4,
            deadline_on=date(2026, 2, 1),
        )
        uids = {
            "Ausschreibung": f"milestone-{tender.id}@default.digitalfahrplan",
            "Vergabe": f"milestone-{award.id}@default.digitalfahrplan",
            "Förderbescheid": f"milestone-{grant.id}@default.digitalfahrplan",
            "E-Akte ends": f"measure-end-{akte.id}@default.digitalfahrplan",
            "Wohngeld": f"ozg-service-{housing.id}@default.digitalfahrplan",
            "Hundesteuer": f"ozg-service-{dogs.id}@default.digitalfahrplan",
        }
        ids = (tender.id, grant.id, housing.id)

    def done(milestone_id: int, on: date) -> Change:
        return lambda session: setattr(session.get(Milestone, milestone_id), "done_on", on)

    def raised(service_id: int) -> Change:
        return lambda session: setattr(session.get(OzgService, service_id), "maturity_current", 3)

    changes = {
        date(2026, 4, 8): done(ids[0], date(2026, 4, 7)),
        date(2026, 4, 20): done(ids[1], date(2026, 4, 17)),
        date(2026, 9, 1): raised(ids[2]),
    }
    return town.id, uids, changes


def _run_days(
    town_id: int, changes: dict[date, Change], first: date, last: date
) -> dict[date, DeadlinePlan]:
    plans = {}
    for instant in mornings(first, last):
        on = local_today(get_settings().zone, instant)
        if on in changes:
            with session_scope(actor="owner") as session:
                changes[on](session)
        plans[on] = plan_deadlines(municipality_id=town_id, on=on, settings=get_settings())
        assert dispatch(plans[on].messages).ok
    return plans


def _ledger() -> list[Notification]:
    with session_scope() as session:
        return list(session.scalars(sa.select(Notification).order_by(Notification.id)))


def test_a_year_of_daily_checks(settings_env: Path) -> None:
    town_id, uids, changes = _catalogue()
    plans = _run_days(town_id, changes, date(2026, 1, 1), date(2026, 12, 31))

    # The clock crosses both changes of summer time without losing or doubling a day.
    assert list(plans) == [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]

    heard = {
        name: sorted(on for on, plan in plans.items() if uid in plan.noticed)
        for name, uid in uids.items()
    }
    assert heard["Ausschreibung"] == days((2, 27), (3, 15), (3, 22), (3, 28), (3, 30), (4, 6))
    assert heard["Förderbescheid"] == days((3, 6), (3, 22), (3, 29), (4, 4), (4, 6), (4, 13))
    assert heard["Vergabe"] == [
        *days((9, 25), (10, 11), (10, 18), (10, 24)),
        *mondays(date(2026, 10, 26), date(2026, 12, 31)),
    ]
    assert heard["E-Akte ends"] == [
        *days((11, 18), (12, 4), (12, 11), (12, 17), (12, 19)),
        *days((12, 21), (12, 28)),
    ]
    assert heard["Wohngeld"] == [
        *days((5, 31), (6, 16), (6, 23), (6, 29), (7, 1)),
        *mondays(date(2026, 7, 2), date(2026, 8, 31)),
    ]
    assert heard["Hundesteuer"] == []

    ledger = _ledger()
    # One message per kind, recipient and day, whatever it lists.
    assert max(Counter((n.kind, n.recipient, n.on_date) for n in ledger).values()) == 1
    digests = {(n.recipient, n.on_date) for n in ledger if n.kind == "deadline-digest"}
    anna_days = set(
        heard["Ausschreibung"] + heard["Förderbescheid"] + heard["Vergabe"] + heard["E-Akte ends"]
    )
    assert {on for who, on in digests if who == "anna@example.org"} == anna_days
    assert {on for who, on in digests if who == "ben@example.org"} == set(heard["Wohngeld"])
    summaries = {n.on_date for n in ledger if n.kind == "deadline-summary"}
    assert summaries == {on for on, plan in plans.items() if plan.noticed}
    assert len(list((settings_env / "outbox").glob("*.eml"))) == len(ledger)

    (both,) = [m for m in plans[date(2026, 3, 22)].messages if m.recipient == "anna@example.org"]
    assert "Ausschreibung" in both.text and "Förderbescheid" in both.text
    assert both.subject.startswith("2 Fristen: zuerst V-01 Ausschreibung am 29.03.2026")


@pytest.mark.parametrize(
    "day", [date(2026, 3, 28), date(2026, 3, 30), date(2026, 10, 24), date(2026, 10, 26)]
)
def test_a_second_run_of_a_day_sends_nothing_again(settings_env: Path, day: date) -> None:
    town_id, _, _ = _catalogue()
    first = dispatch(
        plan_deadlines(municipality_id=town_id, on=day, settings=get_settings()).messages
    )
    again = dispatch(
        plan_deadlines(municipality_id=town_id, on=day, settings=get_settings()).messages
    )
    assert first.sent, "each of these days has something to say"
    assert (again.sent, sorted(again.already_sent)) == ([], sorted(first.sent))
    assert len(_ledger()) == len(first.sent)


def test_the_weekly_summary_goes_out_on_mondays(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAHRPLAN_COORDINATOR_SUMMARY", "weekly")
    get_settings.cache_clear()
    town_id, _, changes = _catalogue()
    plans = _run_days(town_id, changes, date(2026, 2, 1), date(2026, 4, 30))
    ledger = _ledger()
    summaries = sorted(n.on_date for n in ledger if n.kind == "deadline-summary")
    # Nothing is open before March nor after the milestones were met in April.
    assert summaries == mondays(date(2026, 3, 1), date(2026, 4, 13))
    digest_days = {n.on_date for n in ledger if n.kind == "deadline-digest"}
    assert digest_days == {on for on, plan in plans.items() if plan.noticed}
