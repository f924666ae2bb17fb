"""Changes since the previous report: status transitions, new delays, new risks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reports.data import (
    Changes,
    DelayChange,
    MeasureEntry,
    MilestoneEntry,
    ReportData,
    RiskChange,
    StatusChange,
)
from reports.figures import SEVERITY


def _expected_end(measure: MeasureEntry) -> date | None:
    return measure.forecast_end_on or measure.ends_on


def _overdue(milestone: MilestoneEntry, on: date) -> bool:
    return milestone.done_on is None and milestone.due_on < on


def _milestone_delays(
    now: MeasureEntry, before: MeasureEntry, on: date, then: date
) -> list[DelayChange]:
    earlier = {milestone.title: milestone for milestone in before.milestones}
    delays = []
    for milestone in now.milestones:
        old = earlier.get(milestone.title)
        common = {"code": now.code, "title": now.title, "milestone": milestone.title}
        if old is not None and milestone.due_on > old.due_on:
            delays.append(
                DelayChange(
                    kind="milestone_moved", before=old.due_on, after=milestone.due_on, **common
                )
            )
        elif _overdue(milestone, on) and not (old is not None and _overdue(old, then)):
            delays.append(
                DelayChange(kind="milestone_overdue", before=None, after=milestone.due_on, **common)
            )
    return delays


def _delays(now: MeasureEntry, before: MeasureEntry, on: date, then: date) -> list[DelayChange]:
    delays = []
    new_end, old_end = _expected_end(now), _expected_end(before)
    if new_end is not None and old_end is not None and new_end > old_end:
        delays.append(
            DelayChange(code=now.code, title=now.title, kind="end", before=old_end, after=new_end)
        )
    return delays + _milestone_delays(now, before, on, then)


def _risk(now: MeasureEntry, before: MeasureEntry | None) -> RiskChange | None:
    risks = now.last_answer.risks if now.last_answer else ""
    old_risks = before.last_answer.risks if before and before.last_answer else ""
    old_health = before.health.effective if before else None
    worse = SEVERITY[now.health.effective] > (SEVERITY[old_health] if old_health else 0)
    named = bool(risks.strip()) and risks.strip() != old_risks.strip()
    if not (worse or named):
        return None
    return RiskChange(
        code=now.code, title=now.title, before=old_health, after=now.health.effective, risks=risks
    )


def compare(measures: Sequence[MeasureEntry], *, on: date, previous: ReportData | None) -> Changes:
    """What changed since the previous report; nothing when there is none to compare with."""
    if previous is None:
        return Changes()
    earlier = {measure.code: measure for measure in previous.measures}
    status, delays, risks = [], [], []
    for measure in measures:
        before = earlier.get(measure.code)
        if before is None or before.status is not measure.status:
            status.append(
                StatusChange(
                    code=measure.code,
                    title=measure.title,
                    before=before.status if before else None,
                    after=measure.status,
                )
            )
        if before is not None:
            delays += _delays(measure, before, on, previous.as_of)
        if measure.status.is_open and (risk := _risk(measure, before)) is not None:
            risks.append(risk)
    return Changes(previous_period=previous.period_code, status=status, delays=delays, risks=risks)
