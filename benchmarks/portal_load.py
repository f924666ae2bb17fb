"""Benchmark: owners answering at once through the portal, beside a bare ASGI endpoint.

    python -m benchmarks --only portal [--owners 200] [--rounds 5] [--database sqlite]

A town whose owners each have five open measures and a status request with a known link.
The real portal app (`portal.app.create_app()`) and a bare ASGI endpoint that reads the body
and answers 200 are both served by uvicorn in this process (`portal.server.running_in_thread`)
on loopback. A load generator in a process of its own (`benchmarks.loadgen`) lets every owner
post all answers `rounds` times, all owners at once, to `POST /api/v1/status/{token}`; the
bare endpoint gets the same requests. Runs alternate between the two; the figures are the
medians of p50 and p99 latency and of throughput. After each portal run the database must
hold exactly one more StatusReport per answer sent: no answer lost.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import func, select
from starlette.types import Receive, Scope, Send

from benchmarks.cycle import configured, empty_database
from benchmarks.loadgen import Load, Owner, Plan
from benchmarks.runner import child_environment
from benchmarks.scales import Database
from benchmarks.synthetic import CatalogueShape, generate
from benchmarks.work import Context

MEASURES_PER_OWNER = 5


async def bare_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """The floor: an ASGI app that reads the request body and answers 200 with a little JSON."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    body = b'{"recorded": []}'
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def owners_with_links(owners: int) -> list[Owner]:
    """A town of `owners` owners, each asked about their open measures with a known link."""
    from flows.status import asking
    from models.base import utcnow
    from models.db import session_scope
    from models.status.answers import new_token
    from models.status.tables import StatusRequest, period_code_of

    shape = CatalogueShape(
        owners=owners, measures=owners * MEASURES_PER_OWNER, all_open=True, ozg_services=0
    )
    with session_scope(actor="benchmark") as session:
        (town_id,) = generate(session=session, shape=shape).municipality_ids
    at = utcnow()
    asking.prepare_requests(municipality_id=town_id, period_code=period_code_of(at.date()), at=at)
    links = []
    with session_scope(actor="benchmark") as session:
        for request in session.scalars(select(StatusRequest).order_by(StatusRequest.id)):
            token, request.token_hash = new_token()
            request.sent_at = at
            links.append(Owner(token=token, measure_ids=[i.measure_id for i in request.items]))
    return links


def stored_answers() -> int:
    """How many answers the history holds."""
    from models.db import session_scope
    from models.status.tables import StatusReport

    with session_scope() as session:
        return session.scalar(select(func.count(StatusReport.id))) or 0


def _drive(base_url: str, plan_path: Path) -> Load:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.loadgen", base_url, str(plan_path)],
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed:\n{done.stderr[-3000:]}")
    return Load.model_validate_json(done.stdout.strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class LoadFigures(BaseModel):
    """One endpoint's runs: latencies in milliseconds, throughput in submissions per second."""

    label: str
    runs: list[Load]

    def _median(self, figure: Callable[[Load], float]) -> float:
        return round(statistics.median(figure(run) for run in self.runs), 1)

    @property
    def p50_ms(self) -> float:
        """Median over runs of the median latency."""
        return self._median(lambda run: percentile(run.latencies, 0.50) * 1000)

    @property
    def p99_ms(self) -> float:
        """Median over runs of the 99th percentile latency."""
        return self._median(lambda run: percentile(run.latencies, 0.99) * 1000)

    @property
    def per_second(self) -> float:
        """Median over runs of submissions per second."""
        return self._median(lambda run: len(run.latencies) / run.seconds)

    def summary(self) -> dict[str, object]:
        """Medians and, per run, the wall time and the status codes (latencies left out)."""
        return {
            "label": self.label,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "submissions_per_second": self.per_second,
            "runs": [
                {"seconds": round(run.seconds, 3), "statuses": run.statuses} for run in self.runs
            ],
        }


class PortalRecord(BaseModel):
    """The portal beside the bare endpoint on one database, and whether answers were lost."""

    database: str
    owners: int
    rounds: int
    portal: LoadFigures
    bare: LoadFigures
    answers_sent: int
    answers_stored: int
    run_at: str

    @property
    def lost(self) -> int:
        """Answers sent that the history does not hold."""
        return self.answers_sent - self.answers_stored

    def as_json(self) -> dict[str, object]:
        """The figures for the results file."""
        return {
            "database": self.database,
            "owners": self.owners,
            "rounds": self.rounds,
            "submissions_per_run": self.owners * self.rounds,
            "answers_sent": self.answers_sent,
            "answers_stored": self.answers_stored,
            "lost": self.lost,
            "run_at": self.run_at,
            "portal": self.portal.summary(),
            "bare": self.bare.summary(),
        }


def run(
    database: Database, database_url: str, *, owners: int, rounds: int, repeats: int
) -> PortalRecord:
    """Prepare the town, then alternate bare and portal runs; count what was stored."""
    from portal.app import create_app
    from portal.server import running_in_thread

    workdir = Path(tempfile.mkdtemp(prefix="fahrplan-portal-load-"))
    context = Context(database_url=database_url, workdir=workdir)
    empty_database(database_url)
    portal_runs: list[Load] = []
    bare_runs: list[Load] = []
    sent = stored = 0
    try:
        with configured(context):
            plan_path = workdir / "plan.json"
            plan = Plan(owners=owners_with_links(owners), rounds=rounds)
            plan_path.write_text(plan.model_dump_json(), encoding="utf-8")
            before = stored_answers()
            with (
                running_in_thread(create_app()) as portal,
                running_in_thread(bare_endpoint) as bare,
            ):
                for round_number in range(repeats):
                    pairs = [(bare, bare_runs), (portal, portal_runs)]
                    for url, runs in pairs[:: -1 if round_number % 2 else 1]:
                        runs.append(_drive(url, plan_path))
            sent = sum(load.answers_sent for load in portal_runs)
            stored = stored_answers() - before
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return PortalRecord(
        database=database,
        owners=owners,
        rounds=rounds,
        portal=LoadFigures(label="portal (FastAPI, JSON API)", runs=portal_runs),
        bare=LoadFigures(label="bare ASGI endpoint", runs=bare_runs),
        answers_sent=sent,
        answers_stored=stored,
        run_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
