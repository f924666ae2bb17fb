"""The closed vocabularies of the domain; values are what the database stores."""

from __future__ import annotations

import enum

from sqlalchemy import Enum

from models.base import enum_values


class MeasureStatus(enum.StrEnum):
    """Where a measure stands in its life."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Whether owners are still asked about a measure in this status."""
        return self in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.ON_HOLD)


class Health(enum.StrEnum):
    """Traffic light of a measure."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class Priority(enum.StrEnum):
    """How much a measure matters to the strategy."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class MilestoneKind(enum.StrEnum):
    """Where a milestone's date comes from."""

    INTERNAL = "internal"
    LEGAL = "legal"
    OZG = "ozg"
    FUNDING = "funding"


class MaturityModel(enum.StrEnum):
    """The two OZG maturity models: v1.1 (levels 0–4) and Reifegradmodell 2.0 (levels 0–7)."""

    V1_1 = "v1.1"
    V2_0 = "v2.0"

    @property
    def highest_level(self) -> int:
        """The top level of this model."""
        return 4 if self is MaturityModel.V1_1 else 7


class Direction(enum.StrEnum):
    """Which way an indicator should move: higher is better, or lower is better."""

    UP = "up"
    DOWN = "down"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better."""
        return 1 if self is Direction.UP else -1


class ValueKind(enum.StrEnum):
    """What a number in an indicator's history is: measured, or aimed at."""

    ACTUAL = "actual"
    TARGET = "target"


class IndicatorState(enum.StrEnum):
    """How an indicator stands against its expected path (rule in docs/report.md)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_VALUES = "no_values"
    NO_TARGET = "no_target"


class NotificationOutcome(enum.StrEnum):
    """What became of one intended message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class AnswerSource(enum.StrEnum):
    """How a status answer reached us."""

    PORTAL = "portal"
    API = "api"
    PHONE = "phone"
    IMPORT = "import"


def db_enum(kind: type[enum.Enum]) -> Enum:
    """A portable enum column that stores the values as plain strings."""
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=enum_values,
        validate_strings=True,
    )
