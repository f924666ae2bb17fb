"""The words people read for the domain's closed vocabularies, the same in mail, web form,
report and exports. The words people may type are in `models.vocabulary`."""

from __future__ import annotations

import enum

from models.enums import (
    Direction,
    Health,
    IndicatorState,
    MaturityModel,
    MeasureStatus,
    MilestoneKind,
    Priority,
    ValueKind,
)

STATUS_LABELS: dict[str, dict[MeasureStatus, str]] = {
    "de": {
        MeasureStatus.PLANNED: "geplant",
        MeasureStatus.IN_PROGRESS: "in Umsetzung",
        MeasureStatus.DONE: "abgeschlossen",
        MeasureStatus.ON_HOLD: "zurückgestellt",
        MeasureStatus.CANCELLED: "abgebrochen",
    },
    "en": {
        MeasureStatus.PLANNED: "planned",
        MeasureStatus.IN_PROGRESS: "in progress",
        MeasureStatus.DONE: "done",
        MeasureStatus.ON_HOLD: "on hold",
        MeasureStatus.CANCELLED: "cancelled",
    },
}
HEALTH_LABELS: dict[str, dict[Health, str]] = {
    "de": {Health.ON_TRACK: "im Plan", Health.AT_RISK: "gefährdet", Health.OFF_TRACK: "kritisch"},
    "en": {
        Health.ON_TRACK: "on track",
        Health.AT_RISK: "at risk",
        Health.OFF_TRACK: "off track",
    },
}
# The traffic light is always named in words; its colour only repeats what the words say.
TRAFFIC_LIGHTS: dict[str, dict[Health, str]] = {
    "de": {Health.ON_TRACK: "Grün", Health.AT_RISK: "Gelb", Health.OFF_TRACK: "Rot"},
    "en": {Health.ON_TRACK: "Green", Health.AT_RISK: "Amber", Health.OFF_TRACK: "Red"},
}
PRIORITY_LABELS: dict[str, dict[Priority, str]] = {
    "de": {Priority.HIGH: "hoch", Priority.MEDIUM: "mittel", Priority.LOW: "niedrig"},
    "en": {Priority.HIGH: "high", Priority.MEDIUM: "medium", Priority.LOW: "low"},
}
KIND_LABELS: dict[str, dict[MilestoneKind, str]] = {
    "de": {
        MilestoneKind.INTERNAL: "intern",
        MilestoneKind.LEGAL: "gesetzlich",
        MilestoneKind.OZG: "OZG",
        MilestoneKind.FUNDING: "Förderung",
    },
    "en": {
        MilestoneKind.INTERNAL: "internal",
        MilestoneKind.LEGAL: "legal",
        MilestoneKind.OZG: "OZG",
        MilestoneKind.FUNDING: "funding",
    },
}
DIRECTION_LABELS: dict[str, dict[Direction, str]] = {
    "de": {Direction.UP: "steigend", Direction.DOWN: "fallend"},
    "en": {Direction.UP: "up", Direction.DOWN: "down"},
}
VALUE_KIND_LABELS: dict[str, dict[ValueKind, str]] = {
    "de": {ValueKind.ACTUAL: "Ist", ValueKind.TARGET: "Ziel"},
    "en": {ValueKind.ACTUAL: "actual", ValueKind.TARGET: "target"},
}
INDICATOR_STATE_LABELS: dict[str, dict[IndicatorState, str]] = {
    "de": {
        IndicatorState.ON_TRACK: "auf Kurs",
        IndicatorState.AT_RISK: "gefährdet",
        IndicatorState.OFF_TRACK: "nicht auf Kurs",
        IndicatorState.NO_VALUES: "noch kein Messwert",
        IndicatorState.NO_TARGET: "kein Zielwert",
    },
    "en": {
        IndicatorState.ON_TRACK: "on track",
        IndicatorState.AT_RISK: "at risk",
        IndicatorState.OFF_TRACK: "off track",
        IndicatorState.NO_VALUES: "no value yet",
        IndicatorState.NO_TARGET: "no target",
    },
}
MODEL_LABELS: dict[MaturityModel, str] = {MaturityModel.V1_1: "v1.1", MaturityModel.V2_0: "v2.0"}
FLAG_LABELS: dict[str, dict[bool, str]] = {
    "de": {True: "ja", False: "nein"},
    "en": {True: "yes", False: "no"},
}


def traffic_light(health: Health, language: str) -> str:
    """The health with its colour, e.g. `Gelb: gefährdet`."""
    return f"{TRAFFIC_LIGHTS[language][health]}: {HEALTH_LABELS[language][health]}"


_GERMAN: dict[enum.Enum, str] = {
    member: label
    for table in (
        STATUS_LABELS["de"],
        HEALTH_LABELS["de"],
        PRIORITY_LABELS["de"],
        KIND_LABELS["de"],
        DIRECTION_LABELS["de"],
        VALUE_KIND_LABELS["de"],
        MODEL_LABELS,
    )
    for member, label in table.items()
}


def german_label(member: enum.Enum) -> str:
    """The German label of any value of the closed vocabularies, as exports write it."""
    return _GERMAN[member]
