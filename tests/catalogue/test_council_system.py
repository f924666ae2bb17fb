"""A committee names its council system (OParl): YAML, spreadsheets, export, and the warnings of
an import whose council system cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from catalogue.export import export_catalogue
from catalogue.importer import import_catalogue
from catalogue.problems import CatalogueError
from models.db import session_scope
from models.meeting import CommitteeSchedule, MeetingSource, committee_schedules
from models.municipality import municipality_by_slug
from models.settings import get_settings
from reports.oparl import refresh_meetings
from tests.catalogue.conftest import Run, row_counts, write
from tests.loopback import OparlServer

COMMITTEE_YAML = """\
committee:
  name: Ausschuss für Digitalisierung
  recipients: [rat@example.org]
  meetings: [2026-09-17, 2027-03-11]
  oparl: {url}
"""


def _fill(server: OparlServer) -> None:
    server.add(1, "2026-09-24T17:00:00+02:00")  # typed as 17.09., moved by the council office
    server.add(2, "2026-11-26T17:00:00+01:00")


def _town_id() -> int:
    with session_scope() as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        return town.id


def _schedule() -> CommitteeSchedule:
    with session_scope() as session:
        (schedule,) = committee_schedules(
            session=session, municipality_id=_town_id(), zone=get_settings().zone
        )
        return schedule


def _yaml(folder: Path, url: str) -> Path:
    return write(folder / "ausschuss.yaml", COMMITTEE_YAML.format(url=url))


def test_the_import_reads_the_council_system_at_once(
    settings_env: Path, oparl_server: OparlServer
) -> None:
    _fill(oparl_server)
    result = import_catalogue([_yaml(settings_env, oparl_server.organization_url)])
    assert result.warnings == []
    schedule = _schedule()
    assert schedule.oparl_url == oparl_server.organization_url
    assert [(m.meets_on, m.source) for m in schedule.meetings] == [
        (date(2026, 9, 24), MeetingSource.OPARL),
        (date(2026, 11, 26), MeetingSource.OPARL),
        (date(2027, 3, 11), MeetingSource.TYPED),
    ]


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("body_url", "is not an OParl 1.1 Organization (its type is "),
        ("broken_url", "did not answer with valid JSON"),
        ("organization_url", "cannot be reached"),
    ],
)
def test_a_council_system_that_cannot_be_read_is_a_warning_and_its_dates_come_later(
    settings_env: Path,
    oparl_server: OparlServer,
    cli: Callable[..., Run],
    which: str,
    reason: str,
) -> None:
    _fill(oparl_server)
    url = getattr(oparl_server, which)
    if which == "organization_url":
        oparl_server.stop()
    run = cli("import", str(_yaml(settings_env, url)))
    assert run.code == 0, run.err
    assert "committee: 1 new" in run.out
    (warning,) = run.err.splitlines()
    assert warning.startswith(
        f"fahrplan: warning: committee Ausschuss für Digitalisierung: {url}: {reason}"
    )
    assert warning.endswith("; its meetings are read once the council system answers")
    schedule = _schedule()
    assert schedule.oparl_url == url and reason in schedule.error
    assert schedule.days == [date(2026, 9, 17), date(2027, 3, 11)]
    if which == "organization_url":
        oparl_server.start()
        refresh_meetings(municipality_id=_town_id(), zone=get_settings().zone)
        assert _schedule().days == [date(2026, 9, 24), date(2026, 11, 26), date(2027, 3, 11)]


def test_a_dry_run_warns_and_keeps_nothing(
    settings_env: Path, oparl_server: OparlServer, cli: Callable[..., Run]
) -> None:
    before = row_counts()
    run = cli("import", "--dry-run", str(_yaml(settings_env, oparl_server.body_url)))
    assert run.code == 0 and "dry run: nothing was written" in run.out
    named = f"committee Ausschuss für Digitalisierung: {oparl_server.body_url}: is not an OParl"
    assert run.err.startswith(f"fahrplan: warning: {named}")
    assert row_counts() == before


def test_something_that_is_no_web_address_is_refused_where_it_stands(settings_env: Path) -> None:
    before = row_counts()
    with pytest.raises(CatalogueError) as refused:
        import_catalogue([_yaml(settings_env, "ratsinfo.musterstadt.de/oparl")])
    assert [str(problem) for problem in refused.value.problems] == [
        'ausschuss.yaml, line 5, field "oparl": "ratsinfo.musterstadt.de/oparl" is not a web '
        "address starting with https:// or http://"
    ]
    assert row_counts() == before


def test_the_committee_sheet_carries_the_council_system_and_reads_back(
    settings_env: Path, oparl_server: OparlServer
) -> None:
    _fill(oparl_server)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ausschüsse"
    sheet.append(["Ausschuss", "Empfänger", "Sitzungen", "OParl"])
    sheet.append(
        [
            "Ausschuss für Digitalisierung",
            "rat@example.org; ratsbuero@example.org",
            "17.09.2026; 11.03.2027",
            oparl_server.organization_url,
        ]
    )
    sheet.append(["Hauptausschuss", "haupt@example.org", "01.10.2026", None])
    book.save(settings_env / "katalog.xlsx")
    assert import_catalogue([settings_env / "katalog.xlsx"]).warnings == []

    export_catalogue(settings_env / "export")
    exported = (settings_env / "export" / "Ausschüsse.csv").read_text(encoding="utf-8-sig")
    assert exported.splitlines() == [
        "Ausschuss;Empfänger;Apprise-URLs;Sitzungen;OParl",
        'Ausschuss für Digitalisierung;"rat@example.org; ratsbuero@example.org";;'
        f'"17.09.2026; 11.03.2027";{oparl_server.organization_url}',
        "Hauptausschuss;haupt@example.org;;01.10.2026;",
    ]
    assert import_catalogue([settings_env / "export"]).log.changes == []
