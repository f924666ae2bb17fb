"""Every import format lands in the database the same way, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from catalogue.importer import import_catalogue
from models.db import session_scope
from models.enums import MaturityModel, MeasureStatus, MilestoneKind, Priority
from models.measure import measures_of
from models.municipality import current_strategy, municipality_by_slug
from models.ozg import ozg_services_of
from models.person import committees_of, people_of
from tests.builders import catalogue_files
from tests.catalogue.conftest import write


def test_a_yaml_strategy_brings_everything(settings_env: Path) -> None:
    import_catalogue([write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)])
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        assert (town.name, town.federal_state) == ("Stadt Beispielhausen", "SH")
        strategy = current_strategy(session=session, municipality_id=town.id)
        assert strategy is not None
        assert strategy.name == "Digitalstrategie Beispielhausen"
        assert (strategy.adopted_on, strategy.starts_on, strategy.ends_on) == (
            date(2025, 3, 27),
            date(2025, 1, 1),
            date(2030, 12, 31),
        )
        assert strategy.defines_fields
        assert [(p.name, p.description) for p in strategy.pillars] == [
            ("Meer-Daten", ""),
            ("Meer-Mensch", "Die Menschen im Mittelpunkt"),
        ]
        assert [f.name for f in strategy.fields_of_action] == ["Digitale Verwaltung", "Bildung"]

        people = {p.email: p for p in people_of(session=session, municipality_id=town.id)}
        anna, bernd = people["anna.schmidt@example.org"], people["bernd.vogel@example.org"]
        assert anna.deputy is bernd and bernd.deputy is anna
        assert (anna.org_unit, anna.language, anna.is_coordinator) == ("Bürgerservice", "de", False)
        assert (bernd.language, bernd.is_coordinator) == ("en", True)
        assert bernd.apprise_urls == ["json://127.0.0.1:9/hook"]

        (committee,) = committees_of(session=session, municipality_id=town.id)
        assert committee.name == "Ausschuss für Digitalisierung"
        assert committee.recipients == ["rat@example.org"]
        assert [m.meets_on for m in committee.meetings] == [date(2026, 3, 12), date(2026, 9, 10)]

        measures = {m.code: m for m in measures_of(session=session, municipality_id=town.id)}
        e_akte, scan = measures["V-01"], measures["V-02"]
        assert e_akte.title == "E-Akte einführen"
        assert e_akte.description == "Elektronische Akte in allen Ämtern"
        assert e_akte.field_of_action is not None
        assert e_akte.field_of_action.name == "Digitale Verwaltung"
        assert [p.name for p in e_akte.pillars] == ["Meer-Daten", "Meer-Mensch"]
        assert e_akte.owner is anna
        assert (e_akte.starts_on, e_akte.ends_on) == (date(2025, 1, 1), date(2026, 12, 31))
        assert (e_akte.status, e_akte.progress) == (MeasureStatus.IN_PROGRESS, 45)
        assert (e_akte.priority, e_akte.quick_win) == (Priority.HIGH, False)
        assert e_akte.budget_planned == Decimal("1234.56")
        assert e_akte.depends_on == [scan]
        assert [(m.title, m.due_on, m.kind, m.done_on) for m in e_akte.milestones] == [
            ("Pilot im Personalamt", date(2026, 3, 31), MilestoneKind.INTERNAL, date(2026, 4, 2)),
            ("OZG-Frist", date(2026, 12, 31), MilestoneKind.LEGAL, None),
        ]
        assert (scan.status, scan.progress, scan.is_public) == (MeasureStatus.DONE, 100, False)
        assert scan.owner is bernd and scan.starts_on is None

        (service,) = ozg_services_of(session=session, municipality_id=town.id)
        assert (service.ozg_id, service.leika_key, service.name) == (
            "99115005104000",
            "99115005104000",
            "Wohnsitz Anmeldung",
        )
        assert service.measure_id == e_akte.id
        assert service.maturity_model is MaturityModel.V2_0
        assert (service.maturity_current, service.maturity_target) == (2, 5)
        assert service.deadline_on == date(2026, 6, 30)


def _assert_two_measures_from_a_spreadsheet() -> None:
    """The measures every spreadsheet sample describes, in German, English, CSV or XLSX."""
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        strategy = current_strategy(session=session, municipality_id=town.id)
        assert strategy is not None
        # No strategy was given: one is made, with the fields and pillars the sheet names.
        assert strategy.name == "Digitalstrategie Musterstadt"
        assert not strategy.defines_fields
        assert {f.name for f in strategy.fields_of_action} == {"Digitale Verwaltung", "Bildung"}
        assert {p.name for p in strategy.pillars} == {"Meer-Daten", "Meer-Mensch"}
        measures = {m.code: m for m in measures_of(session=session, municipality_id=town.id)}
        assert set(measures) == {"V-01", "B-03"}
        e_akte, wlan = measures["V-01"], measures["B-03"]
        assert e_akte.title == "E-Akte einführen"
        assert e_akte.owner is not None and e_akte.owner.email == "anna.schmidt@example.org"
        assert (e_akte.starts_on, e_akte.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
        assert (e_akte.status, e_akte.progress, e_akte.priority) == (
            MeasureStatus.IN_PROGRESS,
            45,
            Priority.HIGH,
        )
        assert e_akte.quick_win is True
        assert e_akte.budget_planned == Decimal("1234.56")
        assert sorted(p.name for p in e_akte.pillars) == ["Meer-Daten", "Meer-Mensch"]
        assert wlan.title == "WLAN in Schulen"
        assert wlan.field_of_action is not None and wlan.field_of_action.name == "Bildung"
        # A name that belongs to exactly one person finds that person.
        assert wlan.owner is not None and wlan.owner.email == "bernd.vogel@example.org"
        assert (wlan.starts_on, wlan.ends_on) == (date(2026, 8, 1), date(2027, 7, 31))
        assert (wlan.status, wlan.progress, wlan.priority, wlan.quick_win) == (
            MeasureStatus.PLANNED,
            0,
            Priority.LOW,
            False,
        )
        assert wlan.budget_planned == Decimal("12500.00")
        people = {p.email: p for p in people_of(session=session, municipality_id=town.id)}
        assert people["anna.schmidt@example.org"].deputy is people["bernd.vogel@example.org"]
        assert people["bernd.vogel@example.org"].language == "en"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_german_excel_csv_in_windows_1252_or_utf8_with_bom(
    settings_env: Path, encoding: str
) -> None:
    files = [
        write(settings_env / "Maßnahmen.csv", catalogue_files.GERMAN_MEASURES_CSV, encoding),
        write(settings_env / "Personen.csv", catalogue_files.GERMAN_PEOPLE_CSV, encoding),
        write(settings_env / "Meilensteine.csv", catalogue_files.GERMAN_MILESTONES_CSV, encoding),
    ]
    import_catalogue(files)
    _assert_two_measures_from_a_spreadsheet()
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        (e_akte, _) = sorted(
            measures_of(session=session, municipality_id=town.id), key=lambda m: m.code != "V-01"
        )
        assert [(m.title, m.kind, m.done_on) for m in e_akte.milestones] == [
            ("Pilot im Personalamt", MilestoneKind.INTERNAL, date(2026, 4, 2)),
            ("Förderbescheid", MilestoneKind.FUNDING, None),
        ]


def test_plain_csv_with_commas_iso_dates_and_english_values(settings_env: Path) -> None:
    files = [
        # Recognised by their headers, whatever the files are called.
        write(settings_env / "export-1.csv", catalogue_files.PLAIN_MEASURES_CSV),
        write(settings_env / "export-2.csv", catalogue_files.PLAIN_PEOPLE_CSV),
    ]
    import_catalogue(files)
    _assert_two_measures_from_a_spreadsheet()


def test_a_workbook_with_date_and_percent_cells_and_english_sheets(settings_env: Path) -> None:
    import_catalogue([catalogue_files.workbook(settings_env / "Katalog.xlsx")])
    _assert_two_measures_from_a_spreadsheet()
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        (service,) = ozg_services_of(session=session, municipality_id=town.id)
        # An OZG id given only beside a measure makes a service named after the measure.
        assert (service.ozg_id, service.name) == ("99115005104000", "E-Akte einführen")
        assert service.measure is not None and service.measure.code == "V-01"
