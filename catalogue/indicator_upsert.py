"""Writing the indicators of a checked catalogue: the indicators keyed by code, their targets
keyed by date, and measured values appended to their history.

A value already in the history with the same day, number and source is not appended again, so
importing the same statistics twice records them once; a different number for a day already
measured is a correction and is appended (the one recorded last counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from catalogue.changes import ChangeLog, assign, given_values
from catalogue.known import PeopleDirectory
from catalogue.rows import Catalogue, IndicatorRow, IndicatorValueRow
from models.enums import ValueKind
from models.indicator import Indicator, IndicatorTarget, append_value, indicators_of
from models.measure import Measure
from models.municipality import FieldOfAction, Municipality
from models.person import Person
from models.vocabulary import normalise

INDICATOR_VALUES = {
    "name": "name",
    "unit": "unit",
    "direction": "direction",
    "baseline": "baseline_value",
    "baseline_date": "baseline_on",
    "source": "source",
    "public": "is_public",
}


@dataclass
class IndicatorUpsert:
    """One import's indicators, written after the people, fields and measures they name."""

    session: Session
    municipality: Municipality
    catalogue: Catalogue
    log: ChangeLog
    # Per indicator id: the (day, number, source) of every value in its history.
    recorded: dict[int, set[tuple[date, Decimal, str]]] = field(default_factory=dict)

    def run(
        self,
        *,
        people: dict[str, Person],
        directory: PeopleDirectory,
        fields: dict[str, FieldOfAction],
        measures: dict[str, Measure],
    ) -> None:
        """Apply the catalogue's indicators, targets and values."""
        indicators = {
            i.code: i
            for i in indicators_of(session=self.session, municipality_id=self.municipality.id)
        }
        for row in self.catalogue.indicators:
            indicators[row.code] = self._indicator(
                row, indicators.get(row.code), people, directory, fields, measures
            )
        self.session.flush()
        for row in self.catalogue.indicators:
            if row.target is not None and row.target_date is not None:
                self._target(indicators[row.code], row.target_date, row.target)
        for value in self.catalogue.indicator_values:
            indicator = indicators[value.code]
            if value.kind is ValueKind.TARGET:
                self._target(indicator, value.date, value.value)
            else:
                self._value(indicator, value)

    def _indicator(
        self,
        row: IndicatorRow,
        found: Indicator | None,
        people: dict[str, Person],
        directory: PeopleDirectory,
        fields: dict[str, FieldOfAction],
        measures: dict[str, Measure],
    ) -> Indicator:
        created = found is None
        values = given_values(row, INDICATOR_VALUES, new=created)
        if row.given("field_of_action") or created:
            name = row.field_of_action
            values["field_of_action"] = fields[normalise(name)] if name else None
        if row.given("owner") or created:
            email = directory.email_of(row.owner, role="owner") if row.owner else None
            values["owner"] = people[email.casefold()] if email else None
        if found is None:
            found = Indicator(municipality_id=self.municipality.id, code=row.code, **values)
            self.session.add(found)
            self.log.note("indicator", row.code, created=True)
        else:
            self.log.note("indicator", row.code, fields=assign(found, values))
        wanted = sorted(set(row.measures))
        if (row.given("measures") or created) and [m.code for m in found.measures] != wanted:
            found.measures = [measures[code] for code in wanted]
            self.log.note("indicator", row.code, fields=[] if created else ["measures"])
        return found

    def _target(self, indicator: Indicator, due_on: date, value: Decimal) -> None:
        key = f"{indicator.code} {due_on.isoformat()}"
        found = next((t for t in indicator.targets if t.due_on == due_on), None)
        if found is None:
            indicator.targets.append(IndicatorTarget(due_on=due_on, value=value))
            self.log.note("indicator target", key, created=True)
        else:
            self.log.note("indicator target", key, fields=assign(found, {"value": value}))

    def _value(self, indicator: Indicator, row: IndicatorValueRow) -> None:
        source = row.source or f"Import {row.where.file}"
        if indicator.id not in self.recorded:
            self.recorded[indicator.id] = {
                (v.measured_on, v.value, v.source) for v in indicator.values
            }
        key = (row.date, row.value, source)
        if key in self.recorded[indicator.id]:
            return
        self.recorded[indicator.id].add(key)
        append_value(
            session=self.session,
            indicator=indicator,
            measured_on=row.date,
            value=row.value,
            source=source,
            recorded_by=str(self.session.info.get("actor", "import")),
        )
        self.log.note("indicator value", f"{indicator.code} {row.date.isoformat()}", created=True)
