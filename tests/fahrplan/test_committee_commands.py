"""`fahrplan committee meetings`: the next meetings of each committee and where they come from."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner, Result

from fahrplan.cli import app
from models.db import session_scope
from tests.builders import catalogue
from tests.loopback import OparlServer

ON = "2026-10-01"


def _town(server: OparlServer) -> None:
    server.add(1, "2026-09-17T17:00:00+02:00")
    server.add(2, "2026-10-13T17:00:00+02:00", cancelled=True)
    server.add(3, "2026-10-27T17:00:00+01:00")
    server.add(4, "2026-12-03T18:30:00+01:00")
    with session_scope() as session:
        town = catalogue.municipality(session)
        catalogue.committee(
            session,
            town,
            name="Ausschuss für Digitalisierung",
            meetings=(date(2026, 10, 20), date(2027, 3, 11)),
            oparl_url=server.organization_url,
        )
        catalogue.committee(session, town, name="Hauptausschuss", meetings=(date(2026, 11, 5),))


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["committee", "meetings", "--on", ON, *args])


def test_the_next_meetings_are_listed_with_their_source(
    settings_env: Path, oparl_server: OparlServer
) -> None:
    _town(oparl_server)
    before = _run()
    assert before.exit_code == 0, before.output
    assert f"OParl {oparl_server.organization_url}, not read yet" in before.stdout
    assert "    2026-10-20        typed" in before.stdout

    listed = _run("--refresh")
    assert listed.exit_code == 0, listed.output
    assert listed.stderr == ""
    lines = listed.stdout.splitlines()
    assert re.fullmatch(
        rf"  Ausschuss für Digitalisierung: OParl {re.escape(oparl_server.organization_url)}, "
        r"read \d{4}-\d\d-\d\d \d\d:\d\d",
        lines[1],
    )
    assert lines[:1] + lines[2:] == [
        "Musterstadt",
        "    2026-10-27 17:00  OParl  3. Sitzung des Ausschusses für Digitalisierung",
        "    2026-12-03 18:30  OParl  4. Sitzung des Ausschusses für Digitalisierung",
        "    2027-03-11        typed",
        "    cancelled: 2026-10-13 17:00  OParl  2. Sitzung des Ausschusses für Digitalisierung",
        "  Hauptausschuss: typed dates only",
        "    2026-11-05        typed",
    ]


def test_json_for_scripts(settings_env: Path, oparl_server: OparlServer) -> None:
    _town(oparl_server)
    listed = _run("--refresh", "--json")
    assert listed.exit_code == 0, listed.output
    digital, main = json.loads(listed.stdout)
    assert (digital["municipality"], digital["committee"]) == (
        "default",
        "Ausschuss für Digitalisierung",
    )
    assert digital["oparl_url"] == oparl_server.organization_url
    assert digital["fetched_at"] and digital["error"] == ""
    assert [(m["date"], m["source"]) for m in digital["meetings"]] == [
        ("2026-10-27", "oparl"),
        ("2026-12-03", "oparl"),
        ("2027-03-11", "typed"),
    ]
    assert digital["meetings"][0]["start"] == "2026-10-27T17:00:00+01:00"
    assert [m["date"] for m in digital["cancelled"]] == ["2026-10-13"]
    assert main["oparl_url"] is None and main["meetings"] == [
        {"date": "2026-11-05", "start": None, "name": "", "source": "typed"}
    ]


def test_a_council_system_that_is_down_is_a_warning_and_the_cache_is_listed(
    settings_env: Path, oparl_server: OparlServer
) -> None:
    _town(oparl_server)
    assert _run("--refresh").exit_code == 0
    oparl_server.stop()
    listed = _run("--refresh")
    assert listed.exit_code == 0, listed.output
    (warning,) = listed.stderr.splitlines()
    assert warning.startswith(
        "fahrplan: warning: Ausschuss für Digitalisierung: council system not read, "
        f"{oparl_server.organization_url}: cannot be reached"
    )
    assert re.search(r"; using the dates read on \d{4}-\d\d-\d\d \d\d:\d\d$", warning)
    assert "; the last reading failed: " in listed.stdout
    assert "    2026-10-27 17:00  OParl  3. Sitzung" in listed.stdout
