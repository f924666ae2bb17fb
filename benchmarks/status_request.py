"""Benchmark: one status request to 1,000 owners of 10,000 measures, into the outbox.

    python -m benchmarks.status_request [--municipalities 10] [--owners 100] [--measures 1000]
                                        [--database-url postgresql+psycopg://…]

Runs the same work several times on the same catalogue, resetting the requests in between,
alternating the plain domain functions and the `status-request` flow (on a local Prefect
test server that is started and warmed before timing). Prints the wall times and the ratio
of the medians, and writes them to benchmarks/results/.
Targets: the flow under 30 s, and within 1.5x of the plain calls.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from benchmarks.synthetic import CatalogueShape, generate

PERIOD, ON = "2026-Q3", date(2026, 9, 1)
RESULTS = Path(__file__).resolve().parent / "results"


def _configure(database_url: str, outbox: Path) -> None:
    """Point the application at the benchmark's database and outbox."""
    from models.db import reset_engine
    from models.settings import get_settings

    os.environ["FAHRPLAN_DATABASE_URL"] = database_url
    os.environ["FAHRPLAN_OUTBOX_DIR"] = str(outbox)
    os.environ.pop("FAHRPLAN_MAIL_URL", None)
    get_settings.cache_clear()
    reset_engine()


def _prepare_database(database_url: str, shape: CatalogueShape) -> list[int]:
    import sqlalchemy as sa

    import models
    from models.db import session_scope
    from models.migrate import upgrade

    if database_url.startswith("postgresql"):
        engine = sa.create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    upgrade(database_url)
    assert models.Base.metadata.tables
    with session_scope(actor="benchmark") as session:
        return generate(session=session, shape=shape).municipality_ids


def _reset(outbox: Path) -> None:
    """Forget every request, period and ledger row, and empty the outbox."""
    from models import Notification, ReportingPeriod, StatusRequest, StatusRequestItem
    from models.db import session_scope

    with session_scope(actor="benchmark") as session:
        for table in (Notification, StatusRequestItem, StatusRequest, ReportingPeriod):
            session.execute(delete(table))
    shutil.rmtree(outbox, ignore_errors=True)


def _plain(municipality_ids: list[int]) -> int:
    from flows import gathering

    at = gathering.run_instant(ON)
    asked = 0
    for municipality_id in municipality_ids:
        period_id = gathering.prepare_requests(
            municipality_id=municipality_id, period_code=PERIOD, at=at
        )
        asked += gathering.send_requests(period_id=period_id, at=at).count("asked")
    return asked


def _flow(municipality_ids: list[int]) -> int:
    from flows.status_request import status_request

    return status_request(period=PERIOD, on=ON).count("asked")


def _timed(work: Callable[[list[int]], int], ids: list[int], outbox: Path) -> dict[str, Any]:
    from models import StatusRequest
    from models.db import session_scope

    _reset(outbox)
    started = time.perf_counter()
    asked = work(ids)
    seconds = time.perf_counter() - started
    with session_scope() as session:
        sent = session.scalar(
            select(func.count(StatusRequest.id)).where(StatusRequest.sent_at.is_not(None))
        )
    mails = len(list(outbox.glob("*.eml")))
    assert asked == sent == mails, (asked, sent, mails)
    return {"seconds": round(seconds, 3), "owners_asked": asked, "mails_written": mails}


def run(shape: CatalogueShape, database_url: str | None, repeats: int = 2) -> dict[str, Any]:
    """Build the catalogue, time plain and flow runs in turn, and return the figures."""
    from prefect import flow
    from prefect.testing.utilities import prefect_test_harness

    workdir = Path(tempfile.mkdtemp(prefix="fahrplan-bench-"))
    url = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    outbox = workdir / "outbox"
    _configure(url, outbox)
    started = time.perf_counter()
    ids = _prepare_database(url, shape)
    generated = time.perf_counter() - started

    plain: list[dict[str, Any]] = []
    flowed: list[dict[str, Any]] = []
    with prefect_test_harness(server_startup_timeout=120):
        flow(name="warm-up")(lambda: None)()
        # Alternating runs share the machine's moods fairly; the medians are compared.
        for _ in range(repeats):
            plain.append(_timed(_plain, ids, outbox))
            flowed.append(_timed(_flow, ids, outbox))
        plain.append(_timed(_plain, ids, outbox))
    shutil.rmtree(workdir, ignore_errors=True)
    plain_median = statistics.median(p["seconds"] for p in plain)
    flow_median = statistics.median(f["seconds"] for f in flowed)
    ratio = flow_median / plain_median
    return {
        "benchmark": "status_request",
        "database": url.split(":", 1)[0].split("+")[0],
        "shape": shape.model_dump(mode="json"),
        "generate_seconds": round(generated, 3),
        "plain": plain,
        "flow": flowed,
        "plain_median_seconds": round(plain_median, 3),
        "flow_median_seconds": round(flow_median, 3),
        "flow_to_plain": round(ratio, 3),
        "targets": {"flow_seconds_under": 30, "flow_to_plain_under": 1.5},
        "met": flow_median < 30 and ratio < 1.5,
    }


def main() -> None:
    """Parse arguments, run, print, and write the result file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--owners", type=int, default=100, help="per municipality")
    parser.add_argument("--measures", type=int, default=1000, help="per municipality")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--repeats", type=int, default=2, help="flow runs, between plain runs")
    arguments = parser.parse_args()
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    shape = CatalogueShape(
        municipalities=arguments.municipalities,
        owners=arguments.owners,
        measures=arguments.measures,
        all_open=True,
    )
    result = run(shape, arguments.database_url, arguments.repeats)
    plain = " / ".join(f"{p['seconds']:.2f} s" for p in result["plain"])
    flowed = " / ".join(f"{f['seconds']:.2f} s" for f in result["flow"])
    print(
        f"status request, {shape.municipalities * shape.owners} owners, "
        f"{shape.municipalities * shape.measures} measures ({result['database']}):\n"
        f"  plain functions: {plain} (median {result['plain_median_seconds']:.2f} s)\n"
        f"  flow:            {flowed} (median {result['flow_median_seconds']:.2f} s)\n"
        f"  flow / plain:    {result['flow_to_plain']:.2f} (targets: < 1.5, flow < 30 s: "
        f"{'met' if result['met'] else 'NOT met'})"
    )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"status_request-{result['database']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"  written to {path.relative_to(RESULTS.parent.parent)}")


if __name__ == "__main__":
    main()
