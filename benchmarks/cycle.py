"""A cycle of the service at one scale on one database, every step beside its baseline.

Build the catalogue (bulk inserts), then for each step: put the database into the step's
starting state, run the step and its baseline in child processes, alternating which goes
first, and keep the medians. The steps, in the order a quarter runs them:

| step | measured | baseline |
|---|---|---|
| status-request | the flow | the same functions of `flows.status.asking` without Prefect |
| remind | the flow | `flows.status.chasing` without Prefect |
| deadlines | the flow | `flows.deadlines.plan` and `dispatch` without Prefect |
| deadline query | `models.roadmap.deadlines_within` | `benchmarks.handwritten` SQL |
| mail fan-out | `dispatch` through `AppriseChannel` | raw smtplib, one connection |
| import | `fahrplan import` of one town's workbook | bulk inserts of the same town |

The `import-limit` scale measures the import alone, of one workbook of 50,000 rows: as
large as an import may be (FAHRPLAN_IMPORT_MAX_ROWS), to be read in 60 s and 400 MB.

A further step (the committee report, say) is one `Step(...)` line in `STEPS` naming two
functions of a module in `benchmarks/work/`, and an arrangement in `benchmarks.arrange`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from benchmarks import arrange
from benchmarks.figures import Record, Side
from benchmarks.runner import Run, run_work
from benchmarks.scales import Database, Scale
from benchmarks.work import Context, HarnessError, app_environment
from benchmarks.work.catalogue import BULK_PREFIX, IMPORTED_TOWN

OVERHEAD_TARGET = 1.5
QUERY_TARGET = 2.0
ONE_TOWN, ALL = "one town", "all"


@dataclass(frozen=True)
class Step:
    """A work measured beside its baseline, each started from the same arranged state."""

    name: str
    scope: str
    work: tuple[str, str]
    baseline: tuple[str, str]
    arrange: Callable[[Context], Context]
    target_ratio: float | None = None


STEPS = (
    Step(
        "status-request",
        ALL,
        ("flow", "status_cycle.request_flow"),
        ("plain functions", "status_cycle.request_plain"),
        arrange.no_requests,
        OVERHEAD_TARGET,
    ),
    Step(
        "remind",
        ALL,
        ("flow", "status_cycle.remind_flow"),
        ("plain functions", "status_cycle.remind_plain"),
        arrange.reminders_due,
        OVERHEAD_TARGET,
    ),
    Step(
        "deadlines",
        ALL,
        ("flow", "deadlines.check_flow"),
        ("plain functions", "deadlines.check_plain"),
        arrange.no_deadline_notices,
        OVERHEAD_TARGET,
    ),
    Step(
        "deadline query",
        ALL,
        ("ORM query", "deadlines.query_orm"),
        ("hand-written SQL", "deadlines.query_sql"),
        arrange.no_deadline_notices,
        QUERY_TARGET,
    ),
    Step(
        "deadline query",
        ONE_TOWN,
        ("ORM query", "deadlines.query_orm"),
        ("hand-written SQL", "deadlines.query_sql"),
        arrange.no_deadline_notices,
        QUERY_TARGET,
    ),
    Step(
        "mail fan-out",
        ALL,
        ("dispatch (Apprise)", "mail.fan_out"),
        ("raw smtplib", "mail.raw_smtplib"),
        arrange.no_mail,
    ),
    Step(
        "import",
        ONE_TOWN,
        ("XLSX import", "catalogue.import_workbook"),
        ("bulk insert", "catalogue.bulk_load"),
        arrange.no_imported_town,
    ),
)


@dataclass(frozen=True)
class Settings:
    """How the harness runs: repeats, where PostgreSQL and Prefect are, the SMTP server."""

    repeats: int
    postgres_url: str
    environment: dict[str, str]
    mail_url: str
    # How many mails the SMTP server at `mail_url` has accepted so far.
    mails_received: Callable[[], int]
    # Only these steps (by name), or all of them.
    only: frozenset[str] | None = None


@contextmanager
def configured(context: Context) -> Iterator[None]:
    """Point this process's application settings at the context's database."""
    from models.db import reset_engine
    from models.settings import get_settings

    os.environ.pop("FAHRPLAN_MAIL_URL", None)
    os.environ.pop("FAHRPLAN_MUNICIPALITY", None)
    os.environ.update(app_environment(context))
    get_settings.cache_clear()
    reset_engine()
    try:
        yield
    finally:
        reset_engine()
        get_settings.cache_clear()


def empty_database(url: str) -> None:
    """A freshly migrated, empty schema (PostgreSQL: the database is created when missing)."""
    from models.migrate import upgrade

    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    if url.startswith("postgresql"):
        target = sa.make_url(url)
        admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            found = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not found:
                connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)


def _analyze(url: str) -> None:
    """Settle PostgreSQL's freshly loaded tables as autovacuum would in a database in use:
    planner statistics, and every row's visibility written once, so that the first work to
    read them does not pay for writing every page again."""
    if url.startswith("postgresql"):
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
        engine.dispose()


def build(scale: Scale, context: Context) -> float:
    """An empty database filled with the scale's catalogue; returns the seconds of the load."""
    from benchmarks.synthetic import generate
    from models.db import session_scope

    empty_database(context.database_url)
    started = time.perf_counter()
    with configured(context), session_scope(actor="benchmark") as session:
        generate(session=session, shape=scale.shape())
    seconds = time.perf_counter() - started
    _analyze(context.database_url)
    return seconds


def town_workbook(scale: Scale, workdir: Path) -> Path:
    """One town of the scale's size, written by `fahrplan export` from a scratch database."""
    from benchmarks.synthetic import generate
    from catalogue.export import export_catalogue
    from models.db import session_scope

    scratch = Context(database_url=f"sqlite:///{workdir / 'town.sqlite3'}", workdir=workdir)
    empty_database(scratch.database_url)
    with configured(scratch), session_scope(actor="benchmark") as session:
        generate(session=session, shape=scale.shape(towns=1))
    path = workdir / "town.xlsx"
    with configured(scratch.model_copy(update={"town": "synthetic-1"})):
        export_catalogue(path)
    return path


def _context(step: Step, base: Context, scale: Scale, settings: Settings) -> Context:
    """What the step's works need beyond the database."""
    if step.name == "import":
        return base.model_copy(
            update={"town": IMPORTED_TOWN, "shape": scale.shape(towns=1, prefix=BULK_PREFIX)}
        )
    if step.name == "mail fan-out":
        return base.model_copy(
            update={"mail_url": settings.mail_url, "messages": scale.mail_messages}
        )
    if step.scope == ONE_TOWN:
        return base.model_copy(update={"town": "synthetic-1"})
    return base


def _run(work: str, step: Step, context: Context, settings: Settings) -> Run:
    with configured(context):
        arranged = step.arrange(context)
    received = settings.mails_received()
    run = run_work(work, arranged, environment=settings.environment)
    if arranged.mail_url is not None:
        arrived = settings.mails_received() - received
        if arrived != run.counts["sent"]:
            raise HarnessError(f"{work}: {run.counts} but {arrived} mails arrived")
    return run


def _check_same_work(step: Step, runs: list[Run]) -> None:
    """A step and its baseline must have done the same work, every time."""
    counts = {tuple(sorted(run.counts.items())) for run in runs}
    if len(counts) != 1:
        shown = "; ".join(f"{run.work}: {run.counts}" for run in runs)
        raise HarnessError(f"{step.name} ({step.scope}) did different work: {shown}")


def measure(
    step: Step, scale: Scale, database: Database, context: Context, settings: Settings
) -> Record:
    """The step and its baseline, alternating which runs first, `repeats` times each."""
    measured: list[Run] = []
    baseline: list[Run] = []
    for round_number in range(settings.repeats):
        order = [(step.baseline[1], baseline), (step.work[1], measured)]
        for work, runs in order[:: -1 if round_number % 2 else 1]:
            runs.append(_run(work, step, context, settings))
    _check_same_work(step, measured + baseline)
    return Record(
        scale=scale.name,
        database=database,
        measures=scale.total_measures,
        step=step.name,
        scope=step.scope,
        measured=Side(label=step.work[0], work=step.work[1], runs=measured),
        baseline=Side(label=step.baseline[0], work=step.baseline[1], runs=baseline),
        target_ratio=step.target_ratio,
        run_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def steps_at(scale: Scale, only: frozenset[str] | None = None) -> list[Step]:
    """The steps measured at this scale: a one-town scope only where it differs from all."""
    everywhere = {step.name for step in STEPS if step.scope == ALL}
    return [
        step
        for step in STEPS
        if (step.scope == ALL or scale.towns > 1 or step.name not in everywhere)
        and (only is None or step.name in only)
        and (scale.steps is None or step.name in scale.steps)
    ]


@dataclass(frozen=True)
class Cycle:
    """What one cycle measured, and how long its catalogue took to build."""

    records: list[Record]
    load_seconds: float


def run_cycle(
    scale: Scale, database: Database, settings: Settings, say: Callable[[str], None]
) -> Cycle:
    """Build the catalogue in a fresh database, then measure every step of the scale."""
    workdir = Path(tempfile.mkdtemp(prefix=f"fahrplan-bench-{scale.name}-"))
    url = (
        settings.postgres_url
        if database == "postgresql"
        else f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    context = Context(database_url=url, workdir=workdir)
    try:
        load_seconds = build(scale, context)
        say(
            f"{scale.name}/{database}: {scale.total_measures} measures "
            f"loaded in {load_seconds:.1f} s"
        )
        context = context.model_copy(update={"catalogue": town_workbook(scale, workdir)})
        records = []
        for step in steps_at(scale, settings.only):
            record = measure(
                step, scale, database, _context(step, context, scale, settings), settings
            )
            say(
                f"{scale.name}/{database}: {step.name} ({step.scope}): "
                f"{record.measured.label} {record.measured.seconds:.2f} s, "
                f"{record.baseline.label} {record.baseline.seconds:.2f} s"
            )
            records.append(record)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Cycle(records=records, load_seconds=load_seconds)
