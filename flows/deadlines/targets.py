"""Indicator targets in the daily deadline check: those due within the horizon that the trend
will miss (`models.indicator_judgement.will_miss`, rule in docs/deadlines.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from models.indicator import Indicator, facts_of, indicators_of
from models.indicator_judgement import projected_value, will_miss
from notify.deadline_messages import LANGUAGES, TargetWarning, days_phrase


def target_warnings(
    indicators: Sequence[Indicator], *, on: date, days: int, language: str
) -> list[TargetWarning]:
    """Targets due from this day to `days` ahead that the indicator's trend will miss."""
    until = on + timedelta(days=days)
    warnings = []
    for indicator in indicators:
        facts = facts_of(indicator)
        latest = facts.latest
        for target in facts.path[1:]:
            if not on <= target.on <= until or not will_miss(facts, target):
                continue
            projected = projected_value(facts, target.on)
            warnings.append(
                TargetWarning(
                    code=indicator.code,
                    name=indicator.name,
                    unit=indicator.unit,
                    owner_id=indicator.owner_id,
                    owner_name=indicator.owner.name if indicator.owner else "",
                    target=target.value,
                    due_on=target.on,
                    days=(target.on - on).days,
                    when=days_phrase((target.on - on).days, language),
                    latest=latest.value if latest else None,
                    latest_on=latest.on if latest else None,
                    projected=None if projected is None else projected.quantize(Decimal("0.1")),
                )
            )
    return sorted(warnings, key=lambda w: (w.due_on, w.code))


def warnings_by_language(
    session: Session, *, municipality_id: int, on: date, horizons: Sequence[int]
) -> tuple[dict[str, list[TargetWarning]], dict[str, list[TargetWarning]]]:
    """Targets within the horizon that will be missed, in each language: all of them (for the
    coordinators), and those an owner hears of today, entering one of the horizons."""
    indicators = indicators_of(session=session, municipality_id=municipality_id)
    every = {
        language: target_warnings(indicators, on=on, days=max(horizons), language=language)
        for language in LANGUAGES
    }
    told = {language: [w for w in found if w.days in horizons] for language, found in every.items()}
    return every, told
