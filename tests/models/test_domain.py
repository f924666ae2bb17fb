from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import AuditEntry, Measure, StatusReport
from models.audit import audit_trail
from models.db import session_scope
from models.enums import AnswerSource, MeasureStatus
from models.measure import open_measures_by_owner
from models.status.tables import AppendOnlyError, latest_reports, period_bounds, period_code_of
from tests.builders import catalogue, status


def test_money_and_instants_round_trip_exactly(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        catalogue.measure(session, town, code="V-01", budget_planned=Decimal("1234567.89"))
    with session_scope() as session:
        loaded = session.scalars(sa.select(Measure)).one()
        assert loaded.budget_planned == Decimal("1234567.89")
        assert loaded.created_at.tzinfo is not None
        assert loaded.created_at.utcoffset() == timedelta(0)


def test_instants_given_in_local_time_are_stored_as_utc(settings_env: Path) -> None:
    berlin_summer = timezone(timedelta(hours=2))
    with session_scope() as session:
        town = catalogue.municipality(session)
        measure = catalogue.measure(session, town)
        status.status_report(
            session,
            measure,
            source=AnswerSource.PHONE,
            reported_by="x@example.org",
            reported_at=datetime(2026, 7, 1, 12, 0, tzinfo=berlin_summer),
        )
    with session_scope() as session:
        report = session.scalars(sa.select(StatusReport)).one()
        assert report.reported_at == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


def test_status_history_is_append_only(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        measure = catalogue.measure(session, town)
        for progress in (10, 40):
            status.status_report(session, measure, progress=progress)
        measure_id = measure.id
    with session_scope() as session:
        assert latest_reports(session=session, measure_ids=[measure_id])[measure_id].progress == 40
    with pytest.raises(AppendOnlyError), session_scope() as session:
        session.scalars(sa.select(StatusReport)).first().progress = 99  # type: ignore[union-attr]
        session.flush()
    with pytest.raises(AppendOnlyError), session_scope() as session:
        session.delete(session.scalars(sa.select(StatusReport)).first())
        session.flush()
    with session_scope() as session:
        assert sorted(r.progress for r in session.scalars(sa.select(StatusReport))) == [10, 40]


def test_progress_outside_percent_is_refused_by_the_database(settings_env: Path) -> None:
    with pytest.raises(sa.exc.IntegrityError), session_scope() as session:
        town = catalogue.municipality(session)
        catalogue.measure(session, town, progress=101)


def test_every_change_is_audited_with_actor(settings_env: Path) -> None:
    with session_scope(actor="coordinator@example.org") as session:
        town = catalogue.municipality(session)
        measure = catalogue.measure(session, town, title="Alt")
        measure_id = measure.id
    with session_scope(actor="owner@example.org") as session:
        session.get_one(Measure, measure_id).title = "Neu"
    with session_scope() as session:
        trail = audit_trail(session=session, entity="measure", entity_id=measure_id)
        assert [(e.action, e.actor) for e in trail] == [
            ("create", "coordinator@example.org"),
            ("update", "owner@example.org"),
        ]
        assert trail[1].changes == {"title": ["Alt", "Neu"]}
        assert (session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) or 0) >= 3


def test_open_measures_are_grouped_by_owner(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        anna, ben = catalogue.person(session, town), catalogue.person(session, town)
        catalogue.measure(session, town, code="A-2", owner_id=anna.id)
        catalogue.measure(session, town, code="A-1", owner_id=anna.id)
        catalogue.measure(session, town, code="B-1", owner_id=ben.id, status=MeasureStatus.DONE)
        grouped = open_measures_by_owner(session=session, municipality_id=town.id)
        assert {owner: [m.code for m in ms] for owner, ms in grouped.items()} == {
            anna.id: ["A-1", "A-2"]
        }


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_period_bounds(code: str, first: date, last: date) -> None:
    assert period_bounds(code) == (first, last)
    assert period_code_of(first) == period_code_of(last) == code


def test_malformed_period_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-Q3"):
        period_bounds("2026-Q5")
