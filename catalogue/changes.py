"""What an import changes: row fields mapped onto the models, and the log of every change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.rows import SourceRow

# Row field → model attribute, for the plain values of each kind of row.
PERSON_VALUES = {
    "name": "name",
    "email": "email",
    "org_unit": "org_unit",
    "language": "language",
    "coordinator": "is_coordinator",
    "apprise_urls": "apprise_urls",
}
MEASURE_VALUES = {
    "title": "title",
    "description": "description",
    "start": "starts_on",
    "end": "ends_on",
    "status": "status",
    "progress": "progress",
    "priority": "priority",
    "quick_win": "quick_win",
    "budget": "budget_planned",
    "public": "is_public",
}
MILESTONE_VALUES = {"due": "due_on", "kind": "kind", "done": "done_on"}
OZG_VALUES = {
    "leika_key": "leika_key",
    "name": "name",
    "topic_field": "topic_field",
    "maturity_model": "maturity_model",
    "maturity_current": "maturity_current",
    "maturity_target": "maturity_target",
    "deadline": "deadline_on",
}


# Changes are shown by the names the sources use, not by the columns of the database.
SHOWN_AS = {
    attribute: field
    for mapping in (PERSON_VALUES, MEASURE_VALUES, MILESTONE_VALUES, OZG_VALUES)
    for field, attribute in mapping.items()
} | {"deputy_id": "deputy", "measure_id": "measure", "oparl_url": "oparl"}


@dataclass(frozen=True)
class Change:
    """One row created, or changed in these fields."""

    entity: str
    key: str
    created: bool
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.created:
            return f"create {self.entity} {self.key}"
        return f"change {self.entity} {self.key}: {', '.join(self.fields)}"


class ChangeLog:
    """What an import created and changed, one entry per row, in order."""

    def __init__(self) -> None:
        self._changes: dict[tuple[str, str], Change] = {}

    @property
    def changes(self) -> list[Change]:
        """Every created or changed row."""
        return list(self._changes.values())

    def note(
        self, entity: str, key: str, *, created: bool = False, fields: Sequence[str] = ()
    ) -> None:
        """Record a creation, or a change when any field changed."""
        earlier = self._changes.get((entity, key))
        if earlier is not None:
            more = tuple(f for f in fields if f not in earlier.fields and not earlier.created)
            self._changes[entity, key] = Change(entity, key, earlier.created, earlier.fields + more)
        elif created or fields:
            self._changes[entity, key] = Change(entity, key, created, tuple(fields))

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per entity: how many created, how many changed."""
        counted: dict[str, tuple[int, int]] = {}
        for change in self._changes.values():
            created, changed = counted.get(change.entity, (0, 0))
            counted[change.entity] = (created + change.created, changed + (not change.created))
        return counted


def assign(row: object, values: Mapping[str, Any]) -> list[str]:
    """Set the values that differ; the names (as sources call them) of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(SHOWN_AS.get(name, name))
    return changed


def given_values(row: SourceRow, attributes: Mapping[str, str], *, new: bool) -> dict[str, Any]:
    """The model values of a row: all of them for a new row, else only what the source gave."""
    return {
        attribute: getattr(row, name)
        for name, attribute in attributes.items()
        if new or row.given(name)
    }
