"""The demo catalogue imports cleanly and gives the later flows something to do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from catalogue.importer import import_catalogue
from fahrplan.demo import CATALOGUE
from models.db import session_scope
from models.enums import MaturityModel, MilestoneKind
from models.measure import measures_of
from models.municipality import current_strategy, municipality_by_slug
from models.ozg import ozg_services_of
from models.person import committees_of, people_of


def test_the_demo_catalogue_imports_cleanly(settings_env: Path) -> None:
    result = import_catalogue([CATALOGUE])
    assert result.log.counts()["measure"][0] == 34
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        assert (town.name, town.federal_state) == ("Stadt Meerbusch", "NW")
        strategy = current_strategy(session=session, municipality_id=town.id)
        assert strategy is not None and strategy.defines_fields
        assert [p.name for p in strategy.pillars] == [
            "Meer-Mensch",
            "Meer-Nachhaltigkeit",
            "Meer-Partizipation",
            "Meer-Innovation",
            "Meer-Daten",
            "Meer-Infrastruktur",
        ]
        assert len(strategy.fields_of_action) == 6

        people = people_of(session=session, municipality_id=town.id)
        assert all(p.email.endswith("@example.org") and p.deputy is not None for p in people)
        assert len([p for p in people if p.is_coordinator]) == 2
        assert [p.name for p in people if p.language == "en"] == ["Emily Carter"]

        (committee,) = committees_of(session=session, municipality_id=town.id)
        assert committee.name == "Ausschuss für Digitalisierung"
        assert {m.meets_on.year for m in committee.meetings} == {2026, 2027}

        measures = measures_of(session=session, municipality_id=town.id)
        assert all(m.owner is not None and m.field_of_action is not None for m in measures)
        kinds = {milestone.kind for m in measures for milestone in m.milestones}
        assert kinds == set(MilestoneKind)
        overdue_in_q4 = [
            m.code
            for m in measures
            if m.status.is_open and m.ends_on is not None and m.ends_on < date(2026, 10, 1)
        ]
        assert overdue_in_q4 == ["V-03"]

        services = ozg_services_of(session=session, municipality_id=town.id)
        assert {s.maturity_model for s in services} == set(MaturityModel)
        assert all(s.measure_id is not None for s in services)
