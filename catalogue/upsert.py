"""Writing a checked catalogue: create what is new, change what differs, keyed by code and name.

Runs inside the caller's transaction and never commits. Only fields a source gave are applied
to existing rows, so re-importing a sheet without a column leaves that column's values alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from catalogue.changes import (
    MEASURE_VALUES,
    MILESTONE_VALUES,
    OZG_VALUES,
    PERSON_VALUES,
    ChangeLog,
    assign,
    given_values,
)
from catalogue.indicator_upsert import IndicatorUpsert
from catalogue.known import PeopleDirectory, target_strategy
from catalogue.rows import (
    Catalogue,
    FieldRow,
    MunicipalityRow,
    PillarRow,
)
from models.measure import Measure, Milestone, measures_of
from models.municipality import (
    FieldOfAction,
    Municipality,
    Pillar,
    Strategy,
    ensure_municipality,
    municipality_by_slug,
)
from models.ozg import OzgService, ozg_services_of
from models.person import Committee, CommitteeMeeting, Person, committees_of, people_of
from models.settings import get_settings
from models.vocabulary import normalise

Named = TypeVar("Named", Pillar, FieldOfAction)
FLUSH_EVERY = 1000


def target_municipality(
    *, session: Session, row: MunicipalityRow | None, log: ChangeLog
) -> Municipality:
    """The configured municipality, or the YAML's by slug; created when missing, then updated."""
    settings = get_settings()
    slug = row.slug if row is not None and row.slug else settings.municipality
    created = municipality_by_slug(session=session, slug=slug) is None
    name = row.name if row is not None and row.name else settings.municipality_name
    municipality = ensure_municipality(session=session, slug=slug, name=name)
    values = {"name": name} if row is not None and row.name else {}
    if row is not None and row.federal_state:
        values["federal_state"] = row.federal_state
    log.note("municipality", slug, created=created, fields=assign(municipality, values))
    return municipality


class Upsert:
    """One import's writes into one municipality, in the order their references need."""

    def __init__(
        self, *, session: Session, municipality: Municipality, catalogue: Catalogue, log: ChangeLog
    ) -> None:
        self.session = session
        self.municipality = municipality
        self.catalogue = catalogue
        self.log = log
        self._unflushed: list[object] = []

    def _written(self, leaf: object | None = None) -> None:
        """Write a thousand new rows at a time; rows nothing else refers to are then let go,
        so a large catalogue is not held twice, as rows read and as rows written."""
        self._unflushed.append(leaf)
        if len(self._unflushed) >= FLUSH_EVERY:
            self.session.flush()
            for written in self._unflushed:
                if written is not None:
                    self.session.expunge(written)
            self._unflushed = []

    def run(self, people_directory: PeopleDirectory) -> None:
        """Apply the whole catalogue."""
        strategy = self._strategy()
        used_pillars = [name for m in self.catalogue.measures for name in m.pillars]
        used_fields = [m.field_of_action for m in self.catalogue.measures if m.field_of_action]
        used_fields += [i.field_of_action for i in self.catalogue.indicators if i.field_of_action]
        pillars = self._named(Pillar, strategy.pillars, self.catalogue.pillars, used_pillars)
        fields = self._named(
            FieldOfAction, strategy.fields_of_action, self.catalogue.fields_of_action, used_fields
        )
        people = self._people(people_directory)
        self._committees()
        measures = self._measures(people, people_directory, fields, pillars)
        self._dependencies(measures)
        self._milestones(measures)
        self.session.flush()
        self._ozg_services(measures)
        self.session.flush()
        IndicatorUpsert(self.session, self.municipality, self.catalogue, self.log).run(
            people=people, directory=people_directory, fields=fields, measures=measures
        )
        self.session.flush()

    def _strategy(self) -> Strategy:
        row = self.catalogue.strategy
        strategy = target_strategy(
            session=self.session, municipality=self.municipality, catalogue=self.catalogue
        )
        values: dict[str, Any] = {}
        if row is not None:
            values = {
                "name": row.name,
                **given_values(row, {"adopted_on": "adopted_on"}, new=False),
            }
            if row.period is not None:
                values |= given_values(
                    row.period, {"start": "starts_on", "end": "ends_on"}, new=False
                )
        if self.catalogue.defines_fields:
            values["defines_fields"] = True
        if strategy is None:
            values.setdefault("name", f"Digitalstrategie {self.municipality.name}")
            strategy = Strategy(municipality=self.municipality, **values)
            self.session.add(strategy)
            self.log.note("strategy", strategy.name, created=True)
        else:
            self.log.note("strategy", strategy.name, fields=assign(strategy, values))
        return strategy

    def _named(
        self,
        kind: type[Named],
        existing_rows: list[Named],
        rows: Sequence[PillarRow | FieldRow],
        used: list[str],
    ) -> dict[str, Named]:
        """Pillars or fields: those listed, in their order, then any new name a measure uses."""
        entity = "pillar" if kind is Pillar else "field of action"
        existing = {normalise(item.name): item for item in existing_rows}
        for position, row in enumerate(rows):
            values = {"name": row.name, "position": position}
            values |= given_values(row, {"description": "description"}, new=False)
            found = existing.get(normalise(row.name))
            if found is None:
                existing[normalise(row.name)] = self._create_named(kind, existing_rows, values)
                self.log.note(entity, row.name, created=True)
            else:
                self.log.note(entity, row.name, fields=assign(found, values))
        position = max((item.position for item in existing.values()), default=-1)
        for name in used:
            if normalise(name) not in existing:
                position += 1
                values = {"name": name, "position": position}
                existing[normalise(name)] = self._create_named(kind, existing_rows, values)
                self.log.note(entity, name, created=True)
        return existing

    def _create_named(
        self, kind: type[Named], siblings: list[Named], values: dict[str, Any]
    ) -> Named:
        item = kind(**values)
        siblings.append(item)
        return item

    def _people(self, directory: PeopleDirectory) -> dict[str, Person]:
        """People by lower-case e-mail, the import's created or updated; then their deputies."""
        people = {
            p.email.casefold(): p
            for p in people_of(session=self.session, municipality_id=self.municipality.id)
        }
        for row in self.catalogue.people:
            found = people.get(row.email.casefold())
            values = given_values(row, PERSON_VALUES, new=found is None)
            if found is None:
                people[row.email.casefold()] = Person(
                    municipality_id=self.municipality.id, **values
                )
                self.session.add(people[row.email.casefold()])
                self.log.note("person", row.email, created=True)
            else:
                self.log.note("person", row.email, fields=assign(found, values))
        # Deputies often cover each other: with ids in place, a mutual pair is two updates.
        self.session.flush()
        for row in self.catalogue.people:
            if row.given("deputy"):
                email = directory.email_of(row.deputy, role="deputy") if row.deputy else None
                deputy_id = people[email.casefold()].id if email else None
                changed = assign(people[row.email.casefold()], {"deputy_id": deputy_id})
                self.log.note("person", row.email, fields=changed)
        return people

    def _committees(self) -> None:
        existing = {
            normalise(c.name): c
            for c in committees_of(session=self.session, municipality_id=self.municipality.id)
        }
        for row in self.catalogue.committees:
            found = existing.get(normalise(row.name))
            attributes = {
                "name": "name",
                "recipients": "recipients",
                "apprise_urls": "apprise_urls",
                "oparl": "oparl_url",
            }
            values = given_values(row, attributes, new=found is None)
            if found is None:
                found = Committee(municipality_id=self.municipality.id, **values)
                self.session.add(found)
                self.log.note("committee", row.name, created=True)
                _set_meetings(found, row.meetings)
            else:
                self.log.note("committee", row.name, fields=assign(found, values))
                if row.given("meetings") and _set_meetings(found, row.meetings):
                    self.log.note("committee", row.name, fields=["meetings"])

    def _measures(
        self,
        people: dict[str, Person],
        directory: PeopleDirectory,
        fields: dict[str, FieldOfAction],
        pillars: dict[str, Pillar],
    ) -> dict[str, Measure]:
        measures = {
            m.code: m
            for m in measures_of(session=self.session, municipality_id=self.municipality.id)
        }
        for row in self.catalogue.measures:
            found = measures.get(row.code)
            created = found is None
            values = given_values(row, MEASURE_VALUES, new=created)
            if row.given("field_of_action") or created:
                name = row.field_of_action
                values["field_of_action"] = fields[normalise(name)] if name else None
            if row.given("owner") or created:
                email = directory.email_of(row.owner, role="owner") if row.owner else None
                values["owner"] = people[email.casefold()] if email else None
            if found is None:
                # Lists given empty count as loaded: once written, they are not fetched again.
                found = Measure(
                    municipality_id=self.municipality.id,
                    code=row.code,
                    depends_on=[],
                    milestones=[],
                    **values,
                )
                measures[row.code] = found
                self.session.add(found)
                self.log.note("measure", row.code, created=True)
                self._written()
            else:
                self.log.note("measure", row.code, fields=assign(found, values))
            if (row.given("pillars") or created) and _set_pillars(found, row.pillars, pillars):
                self.log.note("measure", row.code, fields=[] if created else ["pillars"])
        return measures

    def _dependencies(self, measures: dict[str, Measure]) -> None:
        for row in self.catalogue.measures:
            if not row.given("depends_on"):
                continue
            measure = measures[row.code]
            if {m.code for m in measure.depends_on} != set(row.depends_on):
                measure.depends_on = [measures[code] for code in sorted(set(row.depends_on))]
                self.log.note("measure", row.code, fields=["depends_on"])

    def _milestones(self, measures: dict[str, Measure]) -> None:
        self.session.flush()
        for row in self.catalogue.milestones:
            measure = measures[row.code]
            found = next((m for m in measure.milestones if m.title == row.title), None)
            values = given_values(row, MILESTONE_VALUES, new=found is None)
            key = f"{row.code}: {row.title}"
            if found is None:
                # Added by id, not to the measure's list: written, it is let go (see `_written`).
                created = Milestone(measure_id=measure.id, title=row.title, **values)
                self.session.add(created)
                self.log.note("milestone", key, created=True)
                self._written(created)
            else:
                self.log.note("milestone", key, fields=assign(found, values))

    def _ozg_services(self, measures: dict[str, Measure]) -> None:
        """Services from OZG rows first; then the links a measure's OZG column sets exactly."""
        services = {
            s.ozg_id: s
            for s in ozg_services_of(session=self.session, municipality_id=self.municipality.id)
        }
        for row in self.catalogue.ozg_services:
            found = services.get(row.ozg_id)
            values = given_values(row, OZG_VALUES, new=found is None)
            if row.given("code") or found is None:
                values["measure_id"] = measures[row.code].id if row.code else None
            if found is None:
                found = services[row.ozg_id] = OzgService(
                    municipality_id=self.municipality.id, ozg_id=row.ozg_id, **values
                )
                self.session.add(found)
                self.log.note("OZG service", row.ozg_id, created=True)
            else:
                self.log.note("OZG service", row.ozg_id, fields=assign(found, values))
        self._ozg_links(measures, services)

    def _ozg_links(self, measures: dict[str, Measure], services: dict[str, OzgService]) -> None:
        by_measure: dict[int | None, list[OzgService]] = {}
        for service in services.values():
            by_measure.setdefault(service.measure_id, []).append(service)
        for row in self.catalogue.measures:
            if not row.given("ozg_ids"):
                continue
            measure = measures[row.code]
            for service in by_measure.get(measure.id, []):
                if service.ozg_id not in row.ozg_ids:
                    changed = assign(service, {"measure_id": None})
                    self.log.note("OZG service", service.ozg_id, fields=changed)
            for ozg_id in row.ozg_ids:
                found = services.get(ozg_id)
                if found is None:
                    found = services[ozg_id] = OzgService(
                        municipality_id=self.municipality.id,
                        ozg_id=ozg_id,
                        name=measure.title,
                        measure_id=measure.id,
                    )
                    self.session.add(found)
                    self.log.note("OZG service", ozg_id, created=True)
                else:
                    changed = assign(found, {"measure_id": measure.id})
                    self.log.note("OZG service", ozg_id, fields=changed)


def _set_pillars(measure: Measure, names: list[str], pillars: dict[str, Pillar]) -> bool:
    """Make the measure's pillars exactly these; whether anything changed."""
    wanted = {normalise(name): pillars[normalise(name)] for name in names}
    if {normalise(p.name) for p in measure.pillars} == set(wanted):
        return False
    measure.pillars = sorted(wanted.values(), key=lambda p: (p.position, p.name))
    return True


def _set_meetings(committee: Committee, dates: list[date]) -> bool:
    """Make the committee's meetings exactly these dates; whether anything changed."""
    wanted = set(dates)
    current = {meeting.meets_on: meeting for meeting in committee.meetings}
    for day, meeting in current.items():
        if day not in wanted:
            committee.meetings.remove(meeting)
    for day in sorted(wanted - set(current)):
        committee.meetings.append(CommitteeMeeting(meets_on=day))
    return wanted != set(current)
