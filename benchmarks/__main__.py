"""`python -m benchmarks` (`make bench`): the cost of a cycle and of owners answering at once.

    python -m benchmarks [--scale town,district] [--database sqlite,postgresql] [--quick]
                         [--only cycle,portal] [--repeats 2] [--postgres-url URL]

Scales: town, district (the default), state (PostgreSQL only; long), tiny. `--quick` is a
smoke test: the tiny scale, one run of each work, a few owners on the portal; its results go
to benchmarks/results/quick.json. Otherwise the figures are merged into
benchmarks/results/latest.json and the table of everything measured so far is printed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import cycle, portal_load, results, tables
from benchmarks.machine import describe, machine
from benchmarks.prefect_server import prefect_server
from benchmarks.runner import child_environment
from benchmarks.scales import DEFAULT_SCALES, SCALES, Database, Scale
from benchmarks.smtp import smtp_server

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
DATABASES: tuple[Database, ...] = ("sqlite", "postgresql")
PARTS = ("cycle", "portal")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", default=",".join(DEFAULT_SCALES), help="town,district,state")
    parser.add_argument("--database", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--only", default=",".join(PARTS), help="cycle,portal")
    parser.add_argument("--step", help="only these steps of the cycle, e.g. 'remind,deadlines'")
    parser.add_argument("--quick", action="store_true", help="smoke test: tiny, one run each")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each work, alternating")
    parser.add_argument("--owners", type=int, default=200, help="owners answering at once")
    parser.add_argument("--rounds", type=int, default=5, help="submissions of each owner")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument(
        "--prefect-api-url", help="a running Prefect server (default: one on PostgreSQL)"
    )
    parser.add_argument("--out", type=Path, help="results file (default: see above)")
    arguments = parser.parse_args(argv)
    if arguments.quick:
        arguments.scale, arguments.repeats = "tiny", 1
        arguments.owners, arguments.rounds = min(arguments.owners, 10), min(arguments.rounds, 2)
    steps = {step.name for step in cycle.STEPS}
    for name, allowed in (
        ("scale", SCALES),
        ("database", DATABASES),
        ("only", PARTS),
        ("step", steps),
    ):
        unknown = set((getattr(arguments, name) or "").split(",")) - set(allowed) - {""}
        if unknown:
            parser.error(f"--{name}: unknown {', '.join(sorted(unknown))}")
    return arguments


def _say(line: str) -> None:
    print(f"[{datetime.now().astimezone():%H:%M:%S}] {line}", file=sys.stderr, flush=True)


@contextmanager
def _prefect(api_url: str | None, postgres_url: str) -> Iterator[str]:
    """A Prefect API for the flows' child processes: the one given, or a server of our own."""
    if api_url:
        yield api_url
        return
    _say("starting a Prefect server on PostgreSQL")
    with (
        tempfile.TemporaryDirectory(prefix="fahrplan-prefect-") as folder,
        prefect_server(postgres_url, Path(folder)) as url,
    ):
        yield url


def _databases(scale: Scale, chosen: list[str]) -> list[Database]:
    return [database for database in scale.databases if database in chosen]


def _cycles(arguments: argparse.Namespace, run: dict[str, Any]) -> None:
    chosen = arguments.database.split(",")
    with ExitStack() as stack:
        api_url = stack.enter_context(_prefect(arguments.prefect_api_url, arguments.postgres_url))
        mail_url, counter = stack.enter_context(smtp_server())
        settings = cycle.Settings(
            repeats=arguments.repeats,
            postgres_url=arguments.postgres_url,
            environment=child_environment({"PREFECT_API_URL": api_url}),
            mail_url=mail_url,
            mails_received=lambda: counter.received,
            only=frozenset(arguments.step.split(",")) if arguments.step else None,
        )
        for name in arguments.scale.split(","):
            scale = SCALES[name]
            for database in _databases(scale, chosen):
                done = cycle.run_cycle(scale, database, settings, _say)
                run["cycle"] += [record.as_json() for record in done.records]
                run["catalogues"].append(
                    {
                        "scale": scale.name,
                        "database": database,
                        "measures": scale.total_measures,
                        "load_seconds": round(done.load_seconds, 3),
                        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    }
                )


def _portal(arguments: argparse.Namespace, run: dict[str, Any], workdir: Path) -> None:
    for database in arguments.database.split(","):
        url = (
            arguments.postgres_url
            if database == "postgresql"
            else f"sqlite:///{workdir / 'portal.sqlite3'}"
        )
        _say(f"portal/{database}: {arguments.owners} owners × {arguments.rounds} submissions")
        record = portal_load.run(
            database,
            url,
            owners=arguments.owners,
            rounds=arguments.rounds,
            repeats=arguments.repeats,
        )
        run["portal"].append(record.as_json())


def main(argv: list[str] | None = None) -> None:
    """Measure what was asked, write the results, print the tables and the targets."""
    arguments = _arguments(argv)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # PostgreSQL installations must configure a secret key (form tokens, calendar links);
    # any random one serves here, and the children inherit it.
    os.environ.setdefault("FAHRPLAN_SECRET_KEY", secrets.token_urlsafe(32))
    started = time.perf_counter()
    run: dict[str, Any] = {
        "machine": machine(arguments.postgres_url),
        "options": {k: str(v) for k, v in vars(arguments).items() if k != "prefect_api_url"},
        "cycle": [],
        "catalogues": [],
        "portal": [],
    }
    parts = arguments.only.split(",")
    if "cycle" in parts:
        _cycles(arguments, run)
    if "portal" in parts:
        with tempfile.TemporaryDirectory(prefix="fahrplan-portal-") as folder:
            _portal(arguments, run, Path(folder))
    out = arguments.out or (results.RESULTS / "quick.json" if arguments.quick else results.LATEST)
    written = results.save(run, out, keep_earlier=not arguments.quick and arguments.out is None)
    print(f"Machine: {describe(written['machine'])}\n")
    print(tables.cycle_table(written["cycle"], written["catalogues"]))
    if written["portal"]:
        print("\n" + tables.portal_table(written["portal"]))
    if "report" in written:
        print("\n" + tables.report_table(written["report"]))
    found = tables.targets(written["cycle"], written["portal"], written.get("report"))
    print("\nTargets:\n" + tables.target_lines(found))
    _say(f"done in {time.perf_counter() - started:.0f} s; results in {out}")


if __name__ == "__main__":
    main()
