"""The benchmark harness in quick mode on a tiny catalogue, so that it cannot silently rot.

No timings are checked here (they belong to benchmarks/); only that every step ran beside
its baseline, did the same work, and that the portal lost no answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.cycle import STEPS, _check_same_work
from benchmarks.runner import Run
from benchmarks.work import HarnessError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def prefect_api_url(prefect_harness: None) -> Iterator[str]:
    """The session's Prefect test server, for the flows the harness runs in child processes."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url
    yield url


def test_quick_mode_runs_every_step_beside_its_baseline(
    database_url: str, tmp_path: Path, prefect_api_url: str
) -> None:
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    out = tmp_path / "quick.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--database",
            backend,
            "--postgres-url",
            database_url,
            "--prefect-api-url",
            prefect_api_url,
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))

    measured = {(r["step"], r["scope"]) for r in results["cycle"]}
    assert measured == {(step.name, step.scope) for step in STEPS}
    for record in results["cycle"]:
        assert record["database"] == backend
        runs = record["measured"]["runs"] + record["baseline"]["runs"]
        assert len(runs) == 2
        assert all(run["peak_rss_kb"] >= run["rss_before_kb"] > 0 for run in runs)
        assert runs[0]["counts"] == runs[1]["counts"]
    counts = {r["step"]: r["measured"]["runs"][0]["counts"] for r in results["cycle"]}
    assert counts["status-request"]["asked"] > 0
    assert counts["remind"]["reminded"] > 0 and counts["remind"]["escalated"] > 0
    assert counts["mail fan-out"]["sent"] == 5

    (portal,) = results["portal"]
    assert portal["answers_sent"] == portal["answers_stored"] > 0
    assert portal["portal"]["runs"][0]["statuses"] == {"200": 20}
    assert "| scale | db | step |" in done.stdout
    assert "Targets:" in done.stdout


def test_results_of_one_part_keep_those_of_the_others() -> None:
    from benchmarks.results import merge

    district = {"scale": "district", "database": "sqlite", "step": "remind", "scope": "all"}
    state = {"scale": "state", "database": "postgresql", "step": "remind", "scope": "all"}
    earlier = {"cycle": [district], "catalogues": [], "portal": [], "report": {"measures": 1000}}
    after_state = merge(earlier, {"cycle": [state], "catalogues": [], "portal": []})
    assert after_state["cycle"] == [district, state] and after_state["report"]["measures"] == 1000
    after_report = merge(after_state, {"report": {"measures": 2000}})
    assert after_report["cycle"] == [district, state]
    assert after_report["report"] == {"measures": 2000}
    district_import = {**district, "step": "import"}
    one_step = merge(after_report, {"cycle": [district_import]})
    assert one_step["cycle"] == [district, state, district_import]
    again = {**district, "seconds": 1.0}
    assert merge(one_step, {"cycle": [again]})["cycle"] == [state, district_import, again]


def _deadline_query(measures: int, own_mb: float) -> dict[str, object]:
    side = {"label": "ORM query", "own_mb": own_mb}
    return {
        "scale": "district" if measures < 100_000 else "state",
        "database": "postgresql",
        "step": "deadline query",
        "scope": "all",
        "measures": measures,
        "measured": side,
        "baseline": {**side, "label": "hand-written SQL"},
    }


@pytest.mark.parametrize(("state_mb", "linear"), [(110.0, True), (136.0, False)])
def test_memory_a_few_per_cent_above_linear_is_linear_and_n_log_n_is_not(
    state_mb: float, linear: bool
) -> None:
    from benchmarks.tables import _memory

    records = [_deadline_query(15_000, 8.0), _deadline_query(200_000, state_mb)]
    assert {target.met for target in _memory(records)} == {linear}


def test_a_step_and_its_baseline_that_did_different_work_fail_the_benchmark() -> None:
    def run(work: str, sent: int) -> Run:
        return Run(work=work, seconds=1.0, peak_rss_kb=1, rss_before_kb=1, counts={"sent": sent})

    _check_same_work(STEPS[0], [run("flow", 3), run("baseline", 3)])
    with pytest.raises(HarnessError, match="did different work"):
        _check_same_work(STEPS[0], [run("flow", 3), run("baseline", 2)])


def test_the_import_limit_scale_imports_as_many_rows_as_allowed_and_nothing_else() -> None:
    from benchmarks.cycle import steps_at
    from benchmarks.scales import IMPORT_LIMIT, IMPORT_LIMIT_ROWS
    from benchmarks.synthetic import PILLARS
    from models.settings import Settings

    shape = IMPORT_LIMIT.shape(towns=1)
    rows = (
        shape.measures * (1 + shape.milestones_per_measure)
        + shape.owners
        + shape.coordinators
        + shape.ozg_services
        + len(PILLARS)
    )
    assert rows == IMPORT_LIMIT_ROWS == Settings.model_fields["import_max_rows"].default
    assert [step.name for step in steps_at(IMPORT_LIMIT)] == ["import"]


def _import_at_the_limit(seconds: float, load: float, peak_mb: float) -> dict[str, object]:
    measured = {"label": "XLSX import", "seconds": seconds, "cpu_seconds": 30.0, "load": load}
    return {
        "scale": "import-limit",
        "database": "sqlite",
        "step": "import",
        "scope": "one town",
        "measures": 16_110,
        "target_ratio": None,
        "measured": {**measured, "peak_mb": peak_mb},
        "baseline": {"label": "bulk insert", "seconds": 4.0, "peak_mb": 150.0},
    }


@pytest.mark.parametrize(
    ("seconds", "load", "peak_mb", "met"),
    [
        (45.0, 1.0, 350.0, [True, True]),
        (75.0, 1.0, 350.0, [False, True]),
        (45.0, 1.0, 450.0, [True, False]),
        # On a machine busy with others' work, the import's own CPU time is what counts.
        (115.0, 12.0, 350.0, [True, True]),
    ],
)
def test_the_import_limit_targets(
    seconds: float, load: float, peak_mb: float, met: list[bool]
) -> None:
    from benchmarks.tables import targets

    found = targets([_import_at_the_limit(seconds, load, peak_mb)], [])
    assert [target.name for target in found] == [
        "import of 50,000 rows (XLSX import, sqlite) < 60 s",
        "import of 50,000 rows (XLSX import, sqlite): peak ≤ 400 MB",
    ]
    assert [target.met for target in found] == met
