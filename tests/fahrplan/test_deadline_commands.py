from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from fahrplan.cli import app
from models.db import session_scope
from models.enums import MaturityModel
from tests.builders import catalogue, ozg

ROOT = Path(__file__).resolve().parents[2]


def test_the_table_shows_what_is_due_and_the_flow_runs(
    prefect_harness: None, settings_env: Path
) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        anna = catalogue.person(session, town, name="Anna Amt")
        akte = catalogue.measure(
            session, town, code="V-01", title="E-Akte", owner_id=anna.id, ends_on=date(2026, 4, 29)
        )
        catalogue.milestone(session, akte, date(2026, 3, 27), title="Ausschreibung")
        catalogue.milestone(session, akte, date(2026, 12, 1), title="Später")
        ozg.ozg_service(
            session,
            town,
            ozg_id="10218",
            name="Wohngeld",
            measure_id=akte.id,
            maturity_model=MaturityModel.V2_0,
            maturity_current=2,
            maturity_target=3,
        )
    runner = CliRunner()
    result = runner.invoke(app, ["deadlines", "--on", "2026-03-30"], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "Musterstadt: Fristen am 30.03.2026, überfällig oder in den nächsten 30 Tagen" in lines[0]
    )
    header = next(line for line in lines if "Maßnahme" in line)
    assert all(word in header for word in ("Titel", "Was", "Fällig am", "Tage", "Verantwortlich"))
    rows = [line for line in lines if line.startswith("│ V-01")]
    assert len(rows) == 3
    assert "OZG-Leistung 10218 Wohngeld" in rows[0] and "31.12.2022" in rows[0]
    assert "Ausschreibung" in rows[1] and "3 Tage überfällig" in rows[1] and "Anna Amt" in rows[1]
    assert "Geplantes Ende der Maßnahme" in rows[2] and "in 30 Tagen" in rows[2]
    assert "Später" not in result.output
    assert (
        "deadlines-2026-03-30: owner digests 1, coordinator summaries 0; sent now 1"
        in result.output
    )


def test_a_malformed_day_is_one_line_on_stderr(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "x.db")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "FAHRPLAN_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    done = subprocess.run(
        [sys.executable, "-m", "fahrplan", "deadlines", "--on", "2026-13-01"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == "fahrplan: --on: 2026-13-01 is not a date: there is no month 13\n"
