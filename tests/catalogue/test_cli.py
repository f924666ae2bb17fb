"""`fahrplan import` and `fahrplan export` on the command line: output and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.builders import catalogue_files
from tests.catalogue.conftest import Run, row_counts, write


def test_import_then_dry_run_then_export(settings_env: Path, cli: Callable[..., Run]) -> None:
    path = write(settings_env / "strategie.yaml", catalogue_files.STRATEGY_YAML)
    before = row_counts()
    dry = cli("import", str(path), "--dry-run")
    assert (dry.code, dry.err) == (0, "")
    assert dry.out.splitlines()[-1] == "dry run: nothing was written"
    assert row_counts() == before

    done = cli("import", str(path))
    assert (done.code, done.err) == (0, "")
    assert done.out.splitlines()[0] == "imported strategie.yaml into Stadt Beispielhausen (default)"
    assert "  measure: 2 new, 0 changed" in done.out.splitlines()

    exported = cli("export", str(settings_env / "katalog.xlsx"))
    assert (exported.code, exported.err) == (0, "")
    assert exported.out.startswith("wrote 2 Maßnahmen, 2 Meilensteine, 2 Personen")
    assert (settings_env / "katalog.xlsx").is_file()


def test_problems_go_to_stderr_one_per_line_and_exit_1(
    settings_env: Path, cli: Callable[..., Run]
) -> None:
    sheet = (
        "Nr.;Maßnahme;Beginn;Ende;Fortschritt\n"
        "V-01;E-Akte;01.03.2026;31.01.2026;45 %\n"
        "V-02;Scan;;;150 %\n"
    )
    path = write(settings_env / "measures.csv", sheet)
    before = row_counts()
    run = cli("import", str(path))
    assert (run.code, run.out) == (1, "")
    assert run.err.splitlines() == [
        "fahrplan: 2 problems, nothing imported:",
        'measures.csv, row 2, column "Ende": end 2026-01-31 is before start 2026-03-01',
        'measures.csv, row 3, column "Fortschritt": progress 150 % is outside 0–100',
    ]
    assert row_counts() == before


def test_a_single_problem_is_a_single_line(settings_env: Path, cli: Callable[..., Run]) -> None:
    run = cli("import", str(settings_env / "fehlt.yaml"))
    assert (run.code, run.out) == (1, "")
    assert run.err == "fahrplan: fehlt.yaml: no such file (nothing imported)\n"

    run = cli("export", str(settings_env / "katalog.ods"))
    assert run.code == 1
    assert run.err == (
        "fahrplan: katalog.ods: export writes an .xlsx workbook, or CSV files to a folder\n"
    )
