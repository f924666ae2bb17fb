"""Judging an indicator: its latest value against the path from its baseline to its targets.

The rule (also in docs/report.md):

- The expected path runs in straight lines from the baseline to the first target, from there
  to the next target, and so on; after the last target it stays at that target's value.
- The latest value (the latest day measured; of several values for one day the one recorded
  last) is compared with the path on the day it describes. Ahead of the path or on it, in the
  indicator's direction, is **on track**; behind it by at most a tenth of the current stretch's
  span (the difference between the values at its two ends) is **at risk**; further behind is
  **off track**. A stretch that holds a level (both ends equal) allows a tenth of that level.
- Without targets there is no path (**no target**); without values nothing to compare
  (**no values**).
- A latest value more than 92 days (one quarter, the reporting period) before the day of
  judgement is **stale**, whatever its state: it says how things were, not how they are.

For the deadline check a target "will be missed" when the trend from the baseline through the
latest value, drawn on to the target's day, ends short of the target; with no value after the
baseline there is no trend, and the target counts as missed until a value says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise

from pydantic import BaseModel, ConfigDict

from models.enums import Direction, IndicatorState

TOLERANCE = Decimal("0.1")
STALE_AFTER_DAYS = 92


class Point(BaseModel):
    """A value on a day: the baseline, a target or a measured value."""

    model_config = ConfigDict(frozen=True)

    on: date
    value: Decimal


class IndicatorFacts(BaseModel):
    """What a judgement needs to know of an indicator; `values` in the order they were
    recorded, so that of two values for one day the later one counts."""

    model_config = ConfigDict(frozen=True)

    direction: Direction
    baseline: Point
    targets: list[Point]
    values: list[Point]

    @property
    def latest(self) -> Point | None:
        """The value of the latest day measured; of several for that day the last recorded."""
        latest: Point | None = None
        for point in self.values:
            if latest is None or point.on >= latest.on:
                latest = point
        return latest

    @property
    def path(self) -> list[Point]:
        """The baseline and the targets after it, by date."""
        later = [t for t in self.targets if t.on > self.baseline.on]
        return [self.baseline, *sorted(later, key=lambda t: t.on)]


class Judgement(BaseModel):
    """Where an indicator stands on one day."""

    model_config = ConfigDict(frozen=True)

    state: IndicatorState
    stale: bool = False
    latest: Point | None = None
    # The path's value on the latest value's day, and the target its stretch leads to.
    expected: Decimal | None = None
    toward: Point | None = None
    tolerance: Decimal | None = None
    # The first target due on or after the day of judgement (None when all have passed).
    next_target: Point | None = None


def next_target(targets: Sequence[Point], on: date) -> Point | None:
    """The first target due on or after this day."""
    return min((t for t in targets if t.on >= on), key=lambda t: t.on, default=None)


def _stretch(path: Sequence[Point], day: date) -> tuple[Point, Point]:
    """The two points of the path that the day lies between (the last stretch after its end)."""
    for start, end in pairwise(path):
        if day <= end.on:
            return start, end
    return path[-2], path[-1]


def expected_value(path: Sequence[Point], day: date) -> Decimal:
    """The path's value on a day: the baseline before it starts, the last target after it ends."""
    start, end = _stretch(path, day)
    if day <= start.on:
        return start.value
    if day >= end.on:
        return end.value
    share = Decimal((day - start.on).days) / Decimal((end.on - start.on).days)
    return start.value + (end.value - start.value) * share


def _tolerance(start: Point, end: Point) -> Decimal:
    span = abs(end.value - start.value)
    return TOLERANCE * (span if span else abs(end.value))


def judge(facts: IndicatorFacts, *, on: date) -> Judgement:
    """The indicator's state on this day (see the module docstring for the rule)."""
    latest = facts.latest
    upcoming = next_target(facts.targets, on)
    stale = latest is not None and (on - latest.on).days > STALE_AFTER_DAYS
    path = facts.path
    if len(path) < 2:
        return Judgement(
            state=IndicatorState.NO_TARGET, stale=stale, latest=latest, next_target=upcoming
        )
    if latest is None:
        return Judgement(state=IndicatorState.NO_VALUES, next_target=upcoming)
    start, end = _stretch(path, latest.on)
    expected = expected_value(path, latest.on)
    tolerance = _tolerance(start, end)
    ahead = (latest.value - expected) * facts.direction.sign
    if ahead >= 0:
        state = IndicatorState.ON_TRACK
    elif -ahead <= tolerance:
        state = IndicatorState.AT_RISK
    else:
        state = IndicatorState.OFF_TRACK
    return Judgement(
        state=state,
        stale=stale,
        latest=latest,
        expected=expected,
        toward=end,
        tolerance=tolerance,
        next_target=upcoming,
    )


def projected_value(facts: IndicatorFacts, day: date) -> Decimal | None:
    """The trend from the baseline through the latest value, drawn on to this day."""
    latest = facts.latest
    if latest is None or latest.on <= facts.baseline.on:
        return None
    elapsed = Decimal((latest.on - facts.baseline.on).days)
    rate = (latest.value - facts.baseline.value) / elapsed
    return latest.value + rate * Decimal((day - latest.on).days)


def will_miss(facts: IndicatorFacts, target: Point) -> bool:
    """Whether the trend ends short of this target on its day (no trend: it will, for all we
    know)."""
    latest = facts.latest
    if latest is not None and (latest.value - target.value) * facts.direction.sign >= 0:
        return False
    projected = projected_value(facts, target.on)
    return projected is None or (projected - target.value) * facts.direction.sign < 0
