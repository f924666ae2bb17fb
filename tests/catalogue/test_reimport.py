"""Re-importing updates by key and never duplicates; a dry run shows changes and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from catalogue.importer import describe, import_catalogue
from models import AuditEntry, Measure
from models.db import session_scope
from models.enums import MeasureStatus
from models.measure import measure_by_code, measures_of
from models.person import people_of
from tests.builders import catalogue_files
from tests.catalogue.conftest import row_counts, write


def _measure(code: str) -> Measure:
    with session_scope() as session:
        (town_id,) = {m.municipality_id for m in session.scalars(select(Measure))}
        found = measure_by_code(session=session, municipality_id=town_id, code=code)
        assert found is not None
        # Load what the tests look at before the session closes.
        _ = (found.milestones, found.pillars, found.depends_on, found.owner)
        return found


def test_importing_the_same_catalogue_again_changes_nothing(settings_env: Path) -> None:
    path = write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)
    import_catalogue([path])
    before = row_counts()
    result = import_catalogue([path])
    assert result.log.changes == []
    assert row_counts() == before
    assert "nothing to change" in describe(result)


def test_a_changed_catalogue_updates_in_place(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)])
    edited = (
        catalogue_files.STRATEGY_YAML.replace("progress: 45 %", "progress: 60 %")
        .replace("status: in Umsetzung", "status: zurückgestellt")
        .replace("kind: gesetzlich}", "kind: gesetzlich, done: 2026-11-02}")
        .replace("    depends_on: [V-02]\n", "    depends_on: []\n")
        .replace("pillars: [Meer-Daten, Meer-Mensch]", "pillars: [Meer-Mensch]")
        .replace("org_unit: Bürgerservice", "org_unit: Fachbereich Bürgerservice")
        .replace(
            "    milestones:\n",
            "    milestones:\n      - {title: Schulung, due: 2026-05-15, kind: intern}\n",
        )
    )
    result = import_catalogue([write(settings_env / "strategie-2.yaml", edited)])

    assert {str(change) for change in result.log.changes} == {
        "change person anna.schmidt@example.org: org_unit",
        "change measure V-01: status, progress, pillars, depends_on",
        "create milestone V-01: Schulung",
        "change milestone V-01: OZG-Frist: done",
    }
    e_akte = _measure("V-01")
    assert (e_akte.status, e_akte.progress) == (MeasureStatus.ON_HOLD, 60)
    assert [p.name for p in e_akte.pillars] == ["Meer-Mensch"]
    assert e_akte.depends_on == []
    assert [(m.title, m.done_on) for m in e_akte.milestones] == [
        ("Pilot im Personalamt", date(2026, 4, 2)),
        ("Schulung", None),
        ("OZG-Frist", date(2026, 11, 2)),
    ]
    with session_scope() as session:
        assert len(measures_of(session=session, municipality_id=e_akte.municipality_id)) == 2
        updates = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "measure", AuditEntry.action == "update")
        ).all()
        assert [(u.actor, u.changes["progress"]) for u in updates] == [
            ("import strategie-2.yaml", [45, 60])
        ]


def test_a_sheet_without_a_column_leaves_that_column_alone(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)])
    sheet = "Nr.;Maßnahme;Status\nV-01;E-Akte einführen;abgeschlossen\n"
    result = import_catalogue([write(settings_env / "Maßnahmen.csv", sheet)])
    assert [str(change) for change in result.log.changes] == ["change measure V-01: status"]
    e_akte = _measure("V-01")
    assert e_akte.status is MeasureStatus.DONE
    assert e_akte.budget_planned == Decimal("1234.56")
    assert e_akte.description == "Elektronische Akte in allen Ämtern"
    assert e_akte.owner is not None and e_akte.owner.email == "anna.schmidt@example.org"
    assert len(e_akte.milestones) == 2


def test_an_emptied_cell_clears_its_value(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)])
    sheet = "Nr.;Maßnahme;Budget;Verantwortlich\nV-01;E-Akte einführen;;\n"
    import_catalogue([write(settings_env / "Maßnahmen.csv", sheet)])
    e_akte = _measure("V-01")
    assert e_akte.budget_planned is None
    assert e_akte.owner is None


def test_a_dry_run_shows_what_would_change_and_writes_nothing(settings_env: Path) -> None:
    path = write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)
    before = row_counts()
    result = import_catalogue([path], dry_run=True)
    assert row_counts() == before
    counts = result.log.counts()
    assert (counts["measure"], counts["milestone"], counts["person"]) == ((2, 0), (2, 0), (2, 0))
    summary = describe(result)
    assert summary.startswith("would import strategie.yaml into Stadt Beispielhausen (default)")
    assert "  measure: 2 new, 0 changed" in summary
    assert "  - create measure V-01" in summary
    assert summary.endswith("dry run: nothing was written")

    import_catalogue([path])
    written = row_counts()
    edited = catalogue_files.STRATEGY_YAML.replace("progress: 45 %", "progress: 50 %")
    result = import_catalogue([write(settings_env / "neu.yaml", edited)], dry_run=True)
    assert [str(change) for change in result.log.changes] == ["change measure V-01: progress"]
    assert row_counts() == written
    e_akte = _measure("V-01")
    assert e_akte.progress == 45
    with session_scope() as session:
        people = people_of(session=session, municipality_id=e_akte.municipality_id)
        assert {p.name for p in people} == {"Anna Schmidt", "Bernd Vogel"}
