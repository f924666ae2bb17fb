"""Pure computations on report data: key figures and the measures that need attention."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from models.enums import Health, MeasureStatus
from reports.data import FieldFigures, Figures, MeasureEntry

SEVERITY = {Health.ON_TRACK: 0, Health.AT_RISK: 1, Health.OFF_TRACK: 2}
NO_ANSWER = "none"


def rounded_mean(values: Iterable[int]) -> int | None:
    """The average rounded half up to a whole number, None for no values."""
    items = list(values)
    if not items:
        return None
    mean = Decimal(sum(items)) / len(items)
    return int(mean.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def elapsed_percent(measure: MeasureEntry, on: date) -> int | None:
    """How much of the planned duration has passed on this day, 0–100, when both dates are known."""
    if measure.starts_on is None or measure.ends_on is None or measure.ends_on <= measure.starts_on:
        return None
    share = (on - measure.starts_on).days / (measure.ends_on - measure.starts_on).days
    return round(min(max(share, 0.0), 1.0) * 100)


def is_open(measure: MeasureEntry) -> bool:
    """Planned, in progress or on hold."""
    return measure.status.is_open


def _counted(measures: Sequence[MeasureEntry]) -> list[MeasureEntry]:
    """The measures that count for progress: all but the cancelled ones."""
    return [m for m in measures if m.status is not MeasureStatus.CANCELLED]


def _money(values: Iterable[Decimal | None]) -> Decimal:
    return sum((value for value in values if value is not None), Decimal("0.00"))


def _by_status(measures: Sequence[MeasureEntry]) -> dict[MeasureStatus, int]:
    return {status: sum(m.status is status for m in measures) for status in MeasureStatus}


def _field_figures(name: str, measures: Sequence[MeasureEntry], on: date) -> FieldFigures:
    counted = _counted(measures)
    return FieldFigures(
        name=name,
        measures=len(measures),
        by_status=_by_status(measures),
        progress=rounded_mean(m.progress for m in counted) or 0,
        elapsed=rounded_mean(e for e in (elapsed_percent(m, on) for m in counted) if e is not None),
        budget_planned=_money(m.budget_planned for m in measures),
        budget_spent=_money(m.budget_spent for m in measures),
    )


def summarize(
    measures: Sequence[MeasureEntry], *, fields: Sequence[str], period: tuple[date, date], on: date
) -> Figures:
    """The key figures of these measures; `fields` gives the order of the fields of action."""
    open_measures = [m for m in measures if is_open(m)]
    counted = _counted(measures)
    grouped = {name: [m for m in measures if m.field_of_action == name] for name in fields}
    unfiled = [m for m in measures if m.field_of_action not in grouped]
    field_figures = [_field_figures(name, group, on) for name, group in grouped.items() if group]
    if unfiled:
        field_figures.append(_field_figures("", unfiled, on))
    reported = [m.health.reported.value if m.health.reported else NO_ANSWER for m in open_measures]
    answer_keys = [*(health.value for health in Health), NO_ANSWER]
    return Figures(
        measures=len(measures),
        by_status=_by_status(measures),
        by_health={h: sum(m.health.effective is h for m in open_measures) for h in Health},
        by_derived_health={h: sum(m.health.derived is h for m in open_measures) for h in Health},
        by_reported_health={key: reported.count(key) for key in answer_keys},
        progress=rounded_mean(m.progress for m in counted) or 0,
        elapsed=rounded_mean(e for e in (elapsed_percent(m, on) for m in counted) if e is not None),
        fields=field_figures,
        finished=[
            m.code
            for m in measures
            if m.status is MeasureStatus.DONE
            and m.finished_on is not None
            and period[0] <= m.finished_on <= period[1]
        ],
        quick_wins=[m.code for m in measures if m.quick_win],
        budget_planned=_money(m.budget_planned for m in measures),
        budget_spent=_money(m.budget_spent for m in measures),
    )


def at_risk(measures: Sequence[MeasureEntry]) -> list[MeasureEntry]:
    """Open measures at risk or off track, the worst first."""
    flagged = [m for m in measures if is_open(m) and m.health.effective is not Health.ON_TRACK]
    return sorted(flagged, key=lambda m: (-SEVERITY[m.health.effective], m.code))
