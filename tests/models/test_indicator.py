"""Indicators in the database: exact values on both databases, history that cannot be rewritten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from models import IndicatorValue
from models.db import session_scope
from models.indicator import append_value, facts_of, indicators_by_owner, indicators_of
from models.indicator_judgement import Point
from models.status.tables import AppendOnlyError
from tests.builders import catalogue, indicators


def test_values_come_back_exact_and_plain_on_both_databases(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        owner = catalogue.person(session, town)
        indicator = indicators.indicator(
            session, town, owner_id=owner.id, baseline_value=Decimal("0.125")
        )
        indicators.target(session, indicator, date(2026, 12, 31), "100")
        for day, value in (("2025-12-31", "12.5"), ("2025-06-30", "1234567.000001")):
            append_value(
                session=session,
                indicator=indicator,
                measured_on=date.fromisoformat(day),
                value=Decimal(value),
                source="Statistikamt",
                recorded_by="test",
            )
    with session_scope() as session:
        [loaded] = indicators_of(session=session, municipality_id=town.id)
        assert [str(v.value) for v in loaded.values] == ["1234567.000001", "12.5"]
        assert str(loaded.baseline_value) == "0.125"
        assert str(loaded.targets[0].value) == "100"
        facts = facts_of(loaded)
        assert facts.latest == Point(on=date(2025, 12, 31), value=Decimal("12.5"))
        assert list(indicators_by_owner(session=session, municipality_id=town.id)) == [owner.id]


def test_a_recorded_value_cannot_be_changed_or_deleted(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        indicator = indicators.indicator(session, town)
        append_value(
            session=session,
            indicator=indicator,
            measured_on=date(2025, 12, 31),
            value=Decimal(20),
            source="",
            recorded_by="test",
        )
    with pytest.raises(AppendOnlyError), session_scope() as session:
        row = session.scalars(select(IndicatorValue)).one()
        row.value = Decimal(21)
        session.flush()
    with pytest.raises(AppendOnlyError), session_scope() as session:
        session.delete(session.scalars(select(IndicatorValue)).one())
        session.flush()
