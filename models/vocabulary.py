"""The words people type for the domain's closed vocabularies, German or English, in one table.

Catalogue import, phone entry (`fahrplan status set`), web form and API all parse with these
functions; a word is compared ignoring case, spaces, `-` and `_`. The first word listed for a
value is its German label, which error messages offer (the labels people read are in
`templating.labels`, and a test holds the two together).
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from models.enums import (
    Direction,
    Health,
    MaturityModel,
    MeasureStatus,
    MilestoneKind,
    Priority,
    ValueKind,
)

Choice = TypeVar("Choice", bound=enum.Enum)

_SPACES = re.compile(r"[\s\u00a0\u202f]+")

STATUS_WORDS: dict[str, MeasureStatus] = {
    **dict.fromkeys(["geplant", "planned"], MeasureStatus.PLANNED),
    **dict.fromkeys(
        ["in Umsetzung", "in Arbeit", "laufend", "in progress"], MeasureStatus.IN_PROGRESS
    ),
    **dict.fromkeys(["abgeschlossen", "erledigt", "done", "completed"], MeasureStatus.DONE),
    **dict.fromkeys(["zurückgestellt", "pausiert", "on hold"], MeasureStatus.ON_HOLD),
    **dict.fromkeys(["abgebrochen", "cancelled", "canceled"], MeasureStatus.CANCELLED),
}
HEALTH_WORDS: dict[str, Health] = {
    **dict.fromkeys(["im Plan", "grün", "gruen", "on track", "green"], Health.ON_TRACK),
    **dict.fromkeys(["gefährdet", "gelb", "at risk", "amber", "yellow"], Health.AT_RISK),
    **dict.fromkeys(["kritisch", "nicht im Plan", "rot", "off track", "red"], Health.OFF_TRACK),
}
PRIORITY_WORDS: dict[str, Priority] = {
    **dict.fromkeys(["hoch", "high"], Priority.HIGH),
    **dict.fromkeys(["mittel", "medium"], Priority.MEDIUM),
    **dict.fromkeys(["niedrig", "low"], Priority.LOW),
}
KIND_WORDS: dict[str, MilestoneKind] = {
    **dict.fromkeys(["intern", "internal"], MilestoneKind.INTERNAL),
    **dict.fromkeys(["gesetzlich", "legal"], MilestoneKind.LEGAL),
    "OZG": MilestoneKind.OZG,
    **dict.fromkeys(["Förderung", "foerderung", "funding"], MilestoneKind.FUNDING),
}
MODEL_WORDS: dict[str, MaturityModel] = {
    **dict.fromkeys(["v1.1", "1.1", "1,1", "v1,1", "reifegradmodell 1.1"], MaturityModel.V1_1),
    **dict.fromkeys(
        ["v2.0", "v2", "2.0", "2,0", "2", "v2,0", "reifegradmodell 2.0"], MaturityModel.V2_0
    ),
}
DIRECTION_WORDS: dict[str, Direction] = {
    **dict.fromkeys(["steigend", "up", "höher ist besser", "higher is better"], Direction.UP),
    **dict.fromkeys(["fallend", "down", "niedriger ist besser", "lower is better"], Direction.DOWN),
}
VALUE_KIND_WORDS: dict[str, ValueKind] = {
    **dict.fromkeys(["Ist", "Istwert", "actual"], ValueKind.ACTUAL),
    **dict.fromkeys(["Ziel", "Zielwert", "target"], ValueKind.TARGET),
}
LANGUAGE_WORDS: dict[str, str] = {
    **dict.fromkeys(["de", "deutsch", "german"], "de"),
    **dict.fromkeys(["en", "englisch", "english"], "en"),
}
YES_WORDS = ("ja", "j", "yes", "y", "true", "wahr", "x", "1")
NO_WORDS = ("nein", "n", "no", "false", "falsch", "0", "-")


def normalise(text: str) -> str:
    """A key for comparing names and labels: case, spaces, `_` and `-` do not matter."""
    return _SPACES.sub(" ", text.replace("_", " ").replace("-", " ")).strip().casefold()


def closest(wrong: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate that `wrong` was most likely meant to be, if any is close."""
    by_key = {normalise(candidate): candidate for candidate in candidates}
    found = difflib.get_close_matches(normalise(wrong), list(by_key), n=1, cutoff=cutoff)
    return by_key[found[0]] if found else None


def did_you_mean(wrong: str, candidates: Iterable[str]) -> str:
    """`, did you mean "X"?` when a candidate is close, else nothing."""
    suggestion = closest(wrong, candidates)
    return f', did you mean "{suggestion}"?' if suggestion else ""


def _text(value: object) -> str:
    return _SPACES.sub(" ", str(value)).strip()


def _label(member: enum.Enum, words: Mapping[str, enum.Enum]) -> str:
    return next(word for word, found in words.items() if found is member)


def _choose(value: object, kind: type[Choice], words: Mapping[str, Choice], what: str) -> Choice:
    if isinstance(value, kind):
        return value
    text = _text(value)
    found = {normalise(word): member for word, member in words.items()}.get(normalise(text))
    if found is not None:
        return found
    expected = ", ".join(_label(member, words) for member in kind)
    raise ValueError(
        f'unknown {what} "{text}"{did_you_mean(text, words)} (expected one of {expected})'
    )


def parse_status(value: object) -> MeasureStatus:
    """`geplant`/`planned`, `in Umsetzung`/`in progress`, `abgeschlossen`/`done`, …"""
    return _choose(value, MeasureStatus, STATUS_WORDS, "status")


def parse_health(value: object) -> Health:
    """`im Plan`/`on track`, `gefährdet`/`at risk`, `kritisch`/`off track`, or the colour."""
    return _choose(value, Health, HEALTH_WORDS, "health")


def parse_priority(value: object) -> Priority:
    """`hoch`/`high`, `mittel`/`medium`, `niedrig`/`low`."""
    return _choose(value, Priority, PRIORITY_WORDS, "priority")


def parse_kind(value: object) -> MilestoneKind:
    """`intern`/`internal`, `gesetzlich`/`legal`, `OZG`, `Förderung`/`funding`."""
    return _choose(value, MilestoneKind, KIND_WORDS, "milestone kind")


def parse_maturity_model(value: object) -> MaturityModel:
    """`v1.1` (levels 0–4) or `v2.0` (Reifegradmodell 2.0, levels 0–7)."""
    return _choose(value, MaturityModel, MODEL_WORDS, "maturity model")


def parse_direction(value: object) -> Direction:
    """`steigend`/`up` (higher is better) or `fallend`/`down` (lower is better)."""
    return _choose(value, Direction, DIRECTION_WORDS, "direction")


def parse_value_kind(value: object) -> ValueKind:
    """`Ist`/`actual` for a measured value, `Ziel`/`target` for a target."""
    return _choose(value, ValueKind, VALUE_KIND_WORDS, "value kind")


def parse_language(value: object) -> str:
    """`de`/`Deutsch`/`German` or `en`/`Englisch`/`English`."""
    text = _text(value)
    found = LANGUAGE_WORDS.get(normalise(text))
    if found is None:
        raise ValueError(f'unknown language "{text}" (expected de or en)')
    return found


def parse_flag(value: object) -> bool:
    """`ja`/`nein`, `yes`/`no`, `x`, 1/0 or a boolean."""
    if isinstance(value, bool):
        return value
    key = normalise(_text(value))
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise ValueError(f'"{_text(value)}" is neither ja/yes nor nein/no')
