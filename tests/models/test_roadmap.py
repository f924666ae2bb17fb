from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from models.db import get_engine, session_scope
from models.enums import MaturityModel, MeasureStatus, MilestoneKind
from models.errors import IncompleteDeadlineError
from models.roadmap import (
    Deadline,
    DeadlineKind,
    Notice,
    deadlines_within,
    describe,
    notice,
    open_deadlines,
    overdue_deadlines,
)
from models.settings import Settings
from tests.builders import catalogue, deadlines, ozg

HORIZONS = [30, 14, 7, 1]


def test_an_owner_hears_of_a_deadline_on_horizon_days_then_weekly_while_overdue() -> None:
    due = date(2026, 3, 29)  # a Sunday, the day summer time begins
    heard = {
        day: notice(deadlines.milestone(due), on=day, horizons=HORIZONS)
        for day in (due + timedelta(days=n) for n in range(-40, 30))
    }
    upcoming = sorted(day for day, why in heard.items() if why is Notice.UPCOMING)
    overdue = sorted(day for day, why in heard.items() if why is Notice.OVERDUE)
    assert upcoming == [date(2026, 2, 27), date(2026, 3, 15), date(2026, 3, 22), date(2026, 3, 28)]
    # The first day overdue is a Monday here; then every Monday.
    assert overdue == [date(2026, 3, 30), *(date(2026, 4, day) for day in (6, 13, 20, 27))]
    assert heard[due] is None


def test_the_first_overdue_day_counts_even_when_it_is_no_monday() -> None:
    due = deadlines.milestone(date(2026, 3, 31))  # a Tuesday
    assert notice(due, on=date(2026, 4, 1), horizons=HORIZONS) is Notice.OVERDUE
    assert notice(due, on=date(2026, 4, 2), horizons=HORIZONS) is None
    assert notice(due, on=date(2026, 4, 6), horizons=HORIZONS) is Notice.OVERDUE


def _catalogue(session: Session) -> dict[str, int]:
    town = catalogue.municipality(session)
    anna = catalogue.person(session, town, name="Anna Amt")
    ben = catalogue.person(session, town, name="Ben Büro")
    open_measure = catalogue.measure(
        session, town, code="V-01", owner_id=anna.id, ends_on=date(2026, 4, 30)
    )
    done = catalogue.measure(
        session,
        town,
        code="V-02",
        owner_id=anna.id,
        status=MeasureStatus.DONE,
        ends_on=date(2026, 1, 31),
    )
    other = catalogue.measure(session, town, code="V-03", owner_id=ben.id)
    catalogue.milestone(session, open_measure, date(2026, 3, 1), title="Ausschreibung")
    catalogue.milestone(
        session, open_measure, date(2026, 2, 1), title="Förderantrag", done_on=date(2026, 1, 30)
    )
    catalogue.milestone(session, done, date(2026, 3, 1), title="Abnahme")
    catalogue.milestone(
        session, other, date(2026, 12, 1), title="Go-live", kind=MilestoneKind.LEGAL
    )
    ozg.ozg_service(
        session,
        town,
        ozg_id="10218",
        name="Wohngeld",
        measure_id=other.id,
        maturity_model=MaturityModel.V1_1,
        maturity_current=2,
        maturity_target=3,
    )
    ozg.ozg_service(
        session,
        town,
        ozg_id="10219",
        name="Elterngeld",
        maturity_model=MaturityModel.V2_0,
        maturity_current=5,
        maturity_target=7,
        deadline_on=date(2026, 3, 20),
    )
    ozg.ozg_service(
        session,
        town,
        ozg_id="10220",
        name="Hundesteuer",
        maturity_model=MaturityModel.V2_0,
        maturity_current=3,
        maturity_target=3,
    )
    return {"town": town.id, "anna": anna.id, "ben": ben.id}


def _keys(found: list[Deadline]) -> list[tuple[str, str | None, date]]:
    return [(d.kind.value, d.measure_code, d.due_on) for d in found]


def test_open_deadlines_of_open_measures_by_date(settings_env: Path) -> None:
    with session_scope() as session:
        ids = _catalogue(session)
        found = open_deadlines(session=session, municipality_id=ids["town"], until=None)
        assert _keys(found) == [
            ("ozg-service", "V-03", date(2022, 12, 31)),
            ("milestone", "V-01", date(2026, 3, 1)),
            ("ozg-service", None, date(2026, 3, 20)),
            ("measure-end", "V-01", date(2026, 4, 30)),
            ("milestone", "V-03", date(2026, 12, 1)),
        ]
        wohngeld = found[0]
        assert (wohngeld.owner_name, wohngeld.maturity_current, wohngeld.is_legal) == (
            "Ben Büro",
            2,
            True,
        )
        assert found[3].title == found[3].measure_title
        anna = open_deadlines(
            session=session, municipality_id=ids["town"], until=None, owner_id=ids["anna"]
        )
        assert _keys(anna) == [
            ("milestone", "V-01", date(2026, 3, 1)),
            ("measure-end", "V-01", date(2026, 4, 30)),
        ]


def test_ozg_services_under_both_models_are_overdue_only_below_target_after_the_deadline(
    settings_env: Path,
) -> None:
    with session_scope() as session:
        ids = _catalogue(session)
        before = overdue_deadlines(
            session=session, municipality_id=ids["town"], on=date(2026, 3, 20)
        )
        after = overdue_deadlines(
            session=session, municipality_id=ids["town"], on=date(2026, 3, 21)
        )
    ozg_before = [d.ozg_id for d in before if d.kind is DeadlineKind.OZG_SERVICE]
    ozg_after = [d.ozg_id for d in after if d.kind is DeadlineKind.OZG_SERVICE]
    # v1.1 below target since the legal deadline; v2.0 below its agreed deadline from the day
    # after it; the v2.0 service at its target is never overdue.
    assert ozg_before == ["10218"]
    assert ozg_after == ["10218", "10219"]
    elterngeld = next(d for d in after if d.ozg_id == "10219")
    assert describe(elterngeld, "de") == (
        "OZG-Leistung 10219 Elterngeld: Reifegrad 7 „Ende-zu-Ende digital“ "
        "(jetzt 5, Reifegradmodell 2.0)"
    )


def test_an_ozg_deadline_without_its_maturity_cannot_be_described() -> None:
    assert describe(deadlines.ozg_service(), "en").startswith("OZG service 10218 Wohngeld")
    with pytest.raises(IncompleteDeadlineError, match="10218"):
        describe(deadlines.ozg_service(maturity_target=None), "de")


def test_deadlines_within_a_horizon_include_the_overdue(settings_env: Path) -> None:
    with session_scope() as session:
        ids = _catalogue(session)
        found = deadlines_within(
            session=session, municipality_id=ids["town"], on=date(2026, 3, 2), days=30
        )
    assert [d.due_on for d in found] == [date(2022, 12, 31), date(2026, 3, 1), date(2026, 3, 20)]


@contextmanager
def _counting_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(get_engine(), "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", count)


def test_one_query_for_all_kinds_however_many_measures(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        owner = catalogue.person(session, town)
        for number in range(60):
            measure = catalogue.measure(
                session, town, owner_id=owner.id, ends_on=date(2026, 6, 1 + number % 28)
            )
            catalogue.milestone(session, measure, date(2026, 5, 1 + number % 28))
            ozg.ozg_service(
                session,
                town,
                ozg_id=str(number),
                name="Leistung",
                measure_id=measure.id,
                maturity_current=1,
            )
        with _counting_statements() as statements:
            found = open_deadlines(session=session, municipality_id=town.id, until=None)
    assert len(found) == 180
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_horizons_are_kept_largest_first_and_negative_ones_refused() -> None:
    assert Settings(deadline_horizons=[1, 30, 7, 30]).deadline_horizons == [30, 7, 1]
    with pytest.raises(ValidationError, match="none negative"):
        Settings(deadline_horizons=[30, -1])
    with pytest.raises(ValidationError, match="at least one"):
        Settings(deadline_horizons=[])
