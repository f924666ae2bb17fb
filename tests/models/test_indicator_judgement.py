"""The judgement of an indicator at its edges: on the path, direction down, a passed target,
no values, stale values, and the trend the deadline check draws on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models.enums import Direction, IndicatorState
from models.indicator_judgement import (
    IndicatorFacts,
    Point,
    expected_value,
    judge,
    projected_value,
    will_miss,
)


def _facts(
    direction: Direction = Direction.UP,
    *,
    baseline: tuple[str, str] = ("2024-12-31", "12"),
    targets: tuple[tuple[str, str], ...] = (("2026-12-31", "50"), ("2028-12-31", "90")),
    values: tuple[tuple[str, str], ...] = (),
) -> IndicatorFacts:
    def point(day: str, value: str) -> Point:
        return Point(on=date.fromisoformat(day), value=Decimal(value))

    return IndicatorFacts(
        direction=direction,
        baseline=point(*baseline),
        targets=[point(*t) for t in targets],
        values=[point(*v) for v in values],
    )


# 2024-12-31 to 2026-12-31 is 730 days; 2025-12-31 is day 365, exactly half way: 12 + 38/2 = 31.
HALF_WAY = "2025-12-31"


def test_exactly_on_the_path_is_on_track() -> None:
    facts = _facts(values=((HALF_WAY, "31"),))
    judgement = judge(facts, on=date(2026, 1, 15))
    assert judgement.expected == Decimal(31)
    assert judgement.state is IndicatorState.ON_TRACK
    assert judgement.toward == Point(on=date(2026, 12, 31), value=Decimal(50))
    assert judgement.next_target == judgement.toward
    assert not judgement.stale


def test_behind_by_a_tenth_of_the_span_is_at_risk_and_more_is_off_track() -> None:
    # The first stretch spans 38, so the tolerance is 3.8 below the expected 31.
    at_edge = judge(_facts(values=((HALF_WAY, "27.2"),)), on=date(2026, 1, 15))
    assert at_edge.tolerance == Decimal("3.8")
    assert at_edge.state is IndicatorState.AT_RISK
    beyond = judge(_facts(values=((HALF_WAY, "27.19"),)), on=date(2026, 1, 15))
    assert beyond.state is IndicatorState.OFF_TRACK
    ahead = judge(_facts(values=((HALF_WAY, "45"),)), on=date(2026, 1, 15))
    assert ahead.state is IndicatorState.ON_TRACK


def test_direction_down_turns_ahead_and_behind_around() -> None:
    def state(direction: Direction, value: str) -> IndicatorState:
        facts = _facts(
            direction,
            baseline=("2024-12-31", "40"),
            targets=(("2026-12-31", "20"),),
            values=((HALF_WAY, value),),
        )
        return judge(facts, on=date(2026, 1, 1)).state

    # Half way the path expects 30 days of processing time; the tolerance is 2 days.
    assert state(Direction.DOWN, "30") is IndicatorState.ON_TRACK
    assert state(Direction.DOWN, "29") is IndicatorState.ON_TRACK
    assert state(Direction.DOWN, "32") is IndicatorState.AT_RISK
    assert state(Direction.DOWN, "32.01") is IndicatorState.OFF_TRACK
    # The same value read as "higher is better" is ahead of the path.
    assert state(Direction.UP, "33") is IndicatorState.ON_TRACK
    assert state(Direction.UP, "27") is IndicatorState.OFF_TRACK


def test_after_a_passed_target_the_path_leads_on_to_the_next() -> None:
    facts = _facts(values=(("2027-12-31", "70"),))
    judgement = judge(facts, on=date(2028, 1, 10))
    # 2026-12-31 (50) to 2028-12-31 (90): 2027-12-31 is day 365 of 731.
    assert judgement.expected == pytest.approx(Decimal(50) + Decimal(40) * 365 / 731)
    assert judgement.toward == Point(on=date(2028, 12, 31), value=Decimal(90))
    assert judgement.tolerance == Decimal(4)
    assert judgement.state is IndicatorState.ON_TRACK


def test_after_the_last_target_the_path_holds_it() -> None:
    facts = _facts(targets=(("2026-12-31", "50"),), values=(("2027-06-30", "48"),))
    judgement = judge(facts, on=date(2027, 7, 1))
    assert judgement.expected == Decimal(50)
    assert judgement.next_target is None
    assert judgement.state is IndicatorState.AT_RISK
    reached = judge(
        _facts(targets=(("2026-12-31", "50"),), values=(("2027-06-30", "50"),)), on=date(2027, 7, 1)
    )
    assert reached.state is IndicatorState.ON_TRACK


def test_no_values_and_no_targets_are_said_as_such() -> None:
    none_yet = judge(_facts(), on=date(2025, 3, 1))
    assert none_yet.state is IndicatorState.NO_VALUES
    assert none_yet.latest is None and not none_yet.stale
    assert none_yet.next_target == Point(on=date(2026, 12, 31), value=Decimal(50))
    no_path = judge(_facts(targets=(), values=((HALF_WAY, "20"),)), on=date(2026, 1, 1))
    assert no_path.state is IndicatorState.NO_TARGET
    assert no_path.latest == Point(on=date(2025, 12, 31), value=Decimal(20))


def test_a_value_older_than_a_quarter_is_stale() -> None:
    facts = _facts(values=((HALF_WAY, "31"),))
    assert not judge(facts, on=date(2026, 4, 1)).stale  # 91 days
    assert not judge(facts, on=date(2026, 4, 2)).stale  # 92 days
    assert judge(facts, on=date(2026, 4, 3)).stale


def test_the_latest_day_counts_and_of_one_day_the_value_recorded_last() -> None:
    facts = _facts(values=(("2025-12-31", "40"), ("2025-06-30", "10"), ("2025-12-31", "20")))
    assert facts.latest == Point(on=date(2025, 12, 31), value=Decimal(20))


def test_a_level_to_hold_allows_a_tenth_of_the_level() -> None:
    facts = _facts(targets=(("2026-12-31", "12"),), values=((HALF_WAY, "11"),))
    judgement = judge(facts, on=date(2026, 1, 1))
    assert judgement.tolerance == Decimal("1.2")
    assert judgement.state is IndicatorState.AT_RISK


def test_before_the_baseline_the_path_is_the_baseline() -> None:
    path = _facts().path
    assert expected_value(path, date(2024, 6, 30)) == Decimal(12)
    assert expected_value(path, date(2030, 1, 1)) == Decimal(90)


def test_the_trend_decides_whether_a_target_will_be_missed() -> None:
    target = Point(on=date(2026, 12, 31), value=Decimal(50))
    # 12 → 31 in a year draws on to 50 in two: just made.
    assert projected_value(_facts(values=((HALF_WAY, "31"),)), target.on) == Decimal(50)
    assert not will_miss(_facts(values=((HALF_WAY, "31"),)), target)
    assert will_miss(_facts(values=((HALF_WAY, "30"),)), target)
    assert will_miss(_facts(), target)  # no value: nothing says it will be made
    assert not will_miss(_facts(values=(("2025-06-30", "55"),)), target)  # reached already
    down = _facts(Direction.DOWN, baseline=("2024-12-31", "40"), values=((HALF_WAY, "32"),))
    assert not will_miss(down, Point(on=date(2026, 12, 31), value=Decimal(24)))
    assert will_miss(down, Point(on=date(2026, 12, 31), value=Decimal(23)))
