"""The daily check warns of indicator targets due within the horizon that the trend will miss:
the owner on the days the target enters a horizon, the coordinators in their summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from flows.deadlines.plan import plan_deadlines
from models.db import session_scope
from models.enums import Direction
from models.indicator import append_value
from models.settings import get_settings
from notify import Message
from tests.builders import catalogue, indicators

ON = date(2026, 12, 1)  # a Tuesday: the target of 31.12.2026 is 30 days away


def _town() -> int:
    with session_scope() as session:
        town = catalogue.municipality(session)
        anna = catalogue.person(session, town, name="Anna Amt", email="anna@example.org")
        catalogue.person(
            session, town, name="Stabsstelle", email="digital@example.org", is_coordinator=True
        )
        cases = (
            # 12 → 30 in 2025 draws on to 48 by the end of 2026: short of 50.
            ("K-01", "OZG <b>online</b>", Direction.UP, "12", "50", "30"),
            # 12 → 35 draws on to 58: made.
            ("K-02", "Glasfaser", Direction.UP, "12", "50", "35"),
            # 40 days down to 30 draws on to 20 days: made; lower is better.
            ("K-03", "Wartezeit", Direction.DOWN, "40", "20", "30"),
        )
        for code, name, direction, baseline, target, value in cases:
            indicator = indicators.indicator(
                session,
                town,
                code=code,
                name=name,
                direction=direction,
                baseline_value=Decimal(baseline),
                owner_id=anna.id,
            )
            indicators.target(session, indicator, date(2026, 12, 31), target)
            append_value(
                session=session,
                indicator=indicator,
                measured_on=date(2025, 12, 31),
                value=Decimal(value),
                source="",
                recorded_by="test",
            )
        # No value since the baseline, and nobody to ask: the coordinators hear of it.
        lonely = indicators.indicator(session, town, code="K-04", name="Datensätze")
        indicators.target(session, lonely, date(2026, 12, 20), "40")
        return town.id


def _by_recipient(messages: list[Message]) -> dict[str, Message]:
    return {message.recipient: message for message in messages}


def test_the_owner_and_the_coordinators_hear_of_targets_the_trend_will_miss(
    settings_env: Path,
) -> None:
    town_id = _town()
    plan = plan_deadlines(municipality_id=town_id, on=ON, settings=get_settings())
    sent = _by_recipient(plan.messages)
    digest = sent["anna@example.org"]
    assert digest.subject == (
        "Kennzahl-Ziel in Gefahr: K-01 OZG <b>online</b>, Ziel bis 31.12.2026"
    )
    assert (
        "- K-01 OZG <b>online</b>: Ziel 50 % bis 31.12.2026 (in 30 Tagen)\n"
        "  Der Trend seit dem Ausgangswert ergibt 48 %; zuletzt 30 am 31.12.2025."
    ) in digest.text.replace("\r\n", "\n")
    assert "K-02" not in digest.text and "K-03" not in digest.text
    assert "OZG &lt;b&gt;online&lt;/b&gt;" in digest.html and "<b>online" not in digest.html
    summary = sent["digital@example.org"].text
    assert "Kennzahlen, deren Ziel verfehlt zu werden droht (2):" in summary
    assert "- K-04 Datensätze: Ziel 40 % bis 20.12.2026 (in 19 Tagen)" in summary
    assert (
        "Seit dem Ausgangswert gibt es keinen Messwert. Verantwortlich: niemand eingetragen."
        in summary
    )


def test_between_horizons_the_owner_is_not_told_again(settings_env: Path) -> None:
    town_id = _town()
    plan = plan_deadlines(municipality_id=town_id, on=date(2026, 12, 2), settings=get_settings())
    assert "anna@example.org" not in _by_recipient(plan.messages)
