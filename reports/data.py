"""The whole content of a committee report, frozen as JSON in a ReportSnapshot.

Rendering reads only these models, never the database, so a snapshot renders the same
document however often it is rendered again.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from models.enums import (
    Direction,
    Health,
    IndicatorState,
    MaturityModel,
    MeasureStatus,
    MilestoneKind,
    Priority,
)
from models.health import HealthAssessment

SCHEMA_VERSION = 1


class Frozen(BaseModel):
    """A part of the frozen report: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Answer(Frozen):
    """The owner's last answer about a measure, in their own words."""

    reported_at: datetime
    status: MeasureStatus
    health: Health | None = None
    health_reason: str = ""
    progress: int
    achieved: str = ""
    next_steps: str = ""
    risks: str = ""
    decisions_needed: str = ""


class MilestoneEntry(Frozen):
    """One milestone of a measure."""

    title: str
    due_on: date
    kind: MilestoneKind
    done_on: date | None = None


class MeasureEntry(Frozen):
    """One measure as it stood when the snapshot was taken."""

    code: str
    title: str
    description: str = ""
    field_of_action: str = ""
    pillars: list[str] = []
    # Empty in the public variant: only the org unit is shown there.
    owner_name: str = ""
    org_unit: str = ""
    status: MeasureStatus
    progress: int
    starts_on: date | None = None
    ends_on: date | None = None
    forecast_end_on: date | None = None
    # The day the answers have said "done" since, when they do.
    finished_on: date | None = None
    priority: Priority | None = None
    quick_win: bool = False
    budget_planned: Decimal | None = None
    budget_spent: Decimal | None = None
    is_public: bool = True
    health: HealthAssessment
    last_answer: Answer | None = None
    milestones: list[MilestoneEntry] = []


class OzgEntry(Frozen):
    """An OZG service with its current and target maturity."""

    ozg_id: str
    leika_key: str | None = None
    name: str
    topic_field: str = ""
    measure_code: str | None = None
    maturity_model: MaturityModel
    maturity_current: int
    maturity_target: int
    deadline_on: date | None = None


class IndicatorPoint(Frozen):
    """A value of an indicator on a day: its baseline, a target or a measurement."""

    on: date
    value: Decimal
    source: str = ""


class IndicatorEntry(Frozen):
    """An indicator with its history up to the day of the report, judged on that day."""

    code: str
    name: str
    unit: str = ""
    direction: Direction
    field_of_action: str = ""
    measure_codes: list[str] = []
    # Empty in the public variant: only the org unit is shown there.
    owner_name: str = ""
    org_unit: str = ""
    source: str = ""
    is_public: bool = True
    baseline: IndicatorPoint
    targets: list[IndicatorPoint] = []
    # In the order they were recorded; of two values for one day the later counts.
    values: list[IndicatorPoint] = []
    state: IndicatorState
    stale: bool = False
    expected: Decimal | None = None
    next_target: IndicatorPoint | None = None

    @property
    def latest(self) -> IndicatorPoint | None:
        """The value that counts: the latest day's, the last recorded of that day."""
        latest: IndicatorPoint | None = None
        for point in self.values:
            if latest is None or point.on >= latest.on:
                latest = point
        return latest


class Unanswered(Frozen):
    """Someone asked for status in the period who has not answered for some measures."""

    person_name: str
    org_unit: str = ""
    measure_codes: list[str]
    reminders: int = 0
    escalated: bool = False


class CommitteeEntry(Frozen):
    """A committee that receives the report."""

    name: str
    next_meeting_on: date | None = None


class StatusChange(Frozen):
    """A measure whose status changed since the previous report (`before` None: new measure)."""

    code: str
    title: str
    before: MeasureStatus | None
    after: MeasureStatus


class DelayChange(Frozen):
    """A delay that was not there at the previous report."""

    code: str
    title: str
    kind: Literal["end", "milestone_moved", "milestone_overdue"]
    milestone: str = ""
    before: date | None
    after: date


class RiskChange(Frozen):
    """A measure whose health worsened or whose owner named a new risk."""

    code: str
    title: str
    before: Health | None
    after: Health
    risks: str = ""


class Changes(Frozen):
    """What changed since the previous report (`previous_period` None: nothing to compare)."""

    previous_period: str | None = None
    status: list[StatusChange] = []
    delays: list[DelayChange] = []
    risks: list[RiskChange] = []


class FieldFigures(Frozen):
    """Figures of one field of action."""

    name: str
    measures: int
    by_status: dict[MeasureStatus, int]
    progress: int
    # Average share of the planned duration elapsed, over measures with both planned dates.
    elapsed: int | None = None
    budget_planned: Decimal
    budget_spent: Decimal


class Figures(Frozen):
    """The report's key figures, computed from its measures."""

    measures: int
    by_status: dict[MeasureStatus, int]
    # Open measures only (planned, in progress, on hold); `reported` counts None as "no answer".
    by_health: dict[Health, int]
    by_derived_health: dict[Health, int]
    by_reported_health: dict[str, int]
    progress: int
    elapsed: int | None = None
    fields: list[FieldFigures]
    finished: list[str]
    quick_wins: list[str]
    budget_planned: Decimal
    budget_spent: Decimal


class ReportData(Frozen):
    """Everything a committee report shows for one municipality and period."""

    schema_version: int = SCHEMA_VERSION
    municipality_slug: str
    municipality_name: str
    committees: list[CommitteeEntry]
    period_code: str
    period_starts_on: date
    period_ends_on: date
    taken_at: datetime
    # The day figures such as "overdue" and "time elapsed" are judged on.
    as_of: date
    public: bool = False
    fields_of_action: list[str]
    measures: list[MeasureEntry]
    ozg_services: list[OzgEntry]
    indicators: list[IndicatorEntry] = []
    not_reported: list[Unanswered]
    changes: Changes
    figures: Figures
