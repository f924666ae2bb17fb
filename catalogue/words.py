"""The words a catalogue may use for statuses, priorities, kinds, models and languages.

German or English, compared ignoring case, spaces, `-` and `_`; the German label of each value
is what the export writes and what error messages offer.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar

from catalogue.parsing import clean_text, did_you_mean, normalise
from models.enums import MaturityModel, MeasureStatus, MilestoneKind, Priority

Choice = TypeVar("Choice", bound=enum.Enum)


def _choose(value: object, kind: type[Choice], words: Mapping[str, Choice], what: str) -> Choice:
    if isinstance(value, kind):
        return value
    text = clean_text(value)
    found = {normalise(word): member for word, member in words.items()}.get(normalise(text))
    if found is not None:
        return found
    expected = ", ".join(LABELS[member] for member in kind)
    hint = did_you_mean(text, words)
    raise ValueError(f'unknown {what} "{text}"{hint} (expected one of {expected})')


STATUS_WORDS: dict[str, MeasureStatus] = {
    "geplant": MeasureStatus.PLANNED,
    "planned": MeasureStatus.PLANNED,
    "in Umsetzung": MeasureStatus.IN_PROGRESS,
    "in Arbeit": MeasureStatus.IN_PROGRESS,
    "in progress": MeasureStatus.IN_PROGRESS,
    "abgeschlossen": MeasureStatus.DONE,
    "erledigt": MeasureStatus.DONE,
    "done": MeasureStatus.DONE,
    "completed": MeasureStatus.DONE,
    "zurückgestellt": MeasureStatus.ON_HOLD,
    "pausiert": MeasureStatus.ON_HOLD,
    "on hold": MeasureStatus.ON_HOLD,
    "abgebrochen": MeasureStatus.CANCELLED,
    "cancelled": MeasureStatus.CANCELLED,
    "canceled": MeasureStatus.CANCELLED,
}
PRIORITY_WORDS: dict[str, Priority] = {
    "hoch": Priority.HIGH,
    "high": Priority.HIGH,
    "mittel": Priority.MEDIUM,
    "medium": Priority.MEDIUM,
    "niedrig": Priority.LOW,
    "low": Priority.LOW,
}
KIND_WORDS: dict[str, MilestoneKind] = {
    "intern": MilestoneKind.INTERNAL,
    "internal": MilestoneKind.INTERNAL,
    "gesetzlich": MilestoneKind.LEGAL,
    "legal": MilestoneKind.LEGAL,
    "OZG": MilestoneKind.OZG,
    "Förderung": MilestoneKind.FUNDING,
    "foerderung": MilestoneKind.FUNDING,
    "funding": MilestoneKind.FUNDING,
}
MODEL_WORDS: dict[str, MaturityModel] = {
    **dict.fromkeys(["v1.1", "1.1", "1,1", "v1,1", "reifegradmodell 1.1"], MaturityModel.V1_1),
    **dict.fromkeys(
        ["v2.0", "v2", "2.0", "2,0", "2", "v2,0", "reifegradmodell 2.0"], MaturityModel.V2_0
    ),
}
LANGUAGE_WORDS: dict[str, str] = {
    "de": "de",
    "deutsch": "de",
    "german": "de",
    "en": "en",
    "englisch": "en",
    "english": "en",
}

LABELS: dict[enum.Enum, str] = {
    MeasureStatus.PLANNED: "geplant",
    MeasureStatus.IN_PROGRESS: "in Umsetzung",
    MeasureStatus.DONE: "abgeschlossen",
    MeasureStatus.ON_HOLD: "zurückgestellt",
    MeasureStatus.CANCELLED: "abgebrochen",
    Priority.HIGH: "hoch",
    Priority.MEDIUM: "mittel",
    Priority.LOW: "niedrig",
    MilestoneKind.INTERNAL: "intern",
    MilestoneKind.LEGAL: "gesetzlich",
    MilestoneKind.OZG: "OZG",
    MilestoneKind.FUNDING: "Förderung",
    MaturityModel.V1_1: "v1.1",
    MaturityModel.V2_0: "v2.0",
}


def parse_status(value: object) -> MeasureStatus:
    """`geplant`/`planned`, `in Umsetzung`/`in progress`, `abgeschlossen`/`done`, …"""
    return _choose(value, MeasureStatus, STATUS_WORDS, "status")


def parse_priority(value: object) -> Priority:
    """`hoch`/`high`, `mittel`/`medium`, `niedrig`/`low`."""
    return _choose(value, Priority, PRIORITY_WORDS, "priority")


def parse_kind(value: object) -> MilestoneKind:
    """`intern`/`internal`, `gesetzlich`/`legal`, `OZG`, `Förderung`/`funding`."""
    return _choose(value, MilestoneKind, KIND_WORDS, "milestone kind")


def parse_maturity_model(value: object) -> MaturityModel:
    """`v1.1` (levels 0–4) or `v2.0` (Reifegradmodell 2.0, levels 0–7)."""
    return _choose(value, MaturityModel, MODEL_WORDS, "maturity model")


def parse_language(value: object) -> str:
    """`de`/`Deutsch`/`German` or `en`/`Englisch`/`English`."""
    text = clean_text(value)
    found = LANGUAGE_WORDS.get(normalise(text))
    if found is None:
        raise ValueError(f'unknown language "{text}" (expected de or en)')
    return found
