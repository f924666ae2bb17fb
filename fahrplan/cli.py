"""The command line: `fahrplan --help` lists the contract of the design.

Every failure ends in one line on stderr, `fahrplan: …`, and an exit code that says whose it is
(see docs/operating.md); `--verbose` adds the traceback and Prefect's own log.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from fahrplan.failures import EXIT_OK, explain
from models.settings import ConfigurationError

app = typer.Typer(
    help="Digitalfahrplan: follow-up of a municipal digital strategy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
status_app = typer.Typer(help="Record status answers.", no_args_is_help=True)
app.add_typer(status_app, name="status")
committee_app = typer.Typer(help="The committees and their meetings.", no_args_is_help=True)
app.add_typer(committee_app, name="committee")


Period = Annotated[str | None, typer.Option(help="quarter such as 2026-Q3")]
Day = Annotated[str | None, typer.Option(help="day to act for (YYYY-MM-DD); default today")]


# Commands that work without a migrated database: they create it, or their own.
WITHOUT_SCHEMA = {"init", "demo"}
# Commands that run flows, and of them the services whose console log operators watch.
RUN_FLOWS = {"demo", "status-request", "remind", "deadlines", "report", "serve"}
SERVICES = {"serve"}
VERBOSE = "--verbose"


@app.callback()
def prepare(
    context: typer.Context,
    verbose: Annotated[
        bool, typer.Option(VERBOSE, help="on failure, show the traceback and Prefect's log")
    ] = False,
) -> None:
    """Check the database, then set up Prefect for the commands that run flows."""
    command = context.invoked_subcommand
    if "--help" in sys.argv:
        return
    if command not in WITHOUT_SCHEMA:
        require_schema()
    if command in RUN_FLOWS:
        # Prefect allows its temporary server 20 s to start; a small or busy machine needs more.
        os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
        if not verbose and command not in SERVICES:
            # Read when Prefect sets up its logging, so before it is first imported; its log
            # in the API keeps everything, and an operator's own setting wins.
            os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
        from fahrplan.flow_runs import tie_temporary_server

        tie_temporary_server()


def require_schema() -> None:
    """Refuse to work on a database that `fahrplan init` has not prepared, in one line."""
    from models.db import shown_url
    from models.migrate import schema_is_current
    from models.settings import get_settings

    url = get_settings().database_url
    if not schema_is_current(url):
        raise ConfigurationError(
            f"the database {shown_url(url)} is not ready: run `fahrplan init` first"
        )


@app.command()
def init() -> None:
    """Create or upgrade the database schema."""
    from fahrplan.init_command import initialise

    typer.echo(initialise())


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="YAML, CSV or XLSX files")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show changes, write nothing")] = False,
) -> None:
    """Load a catalogue (YAML, CSV or XLSX)."""
    from catalogue.importer import describe, import_catalogue
    from catalogue.limits import ImportLimits
    from models.settings import get_settings

    limits = ImportLimits.of(get_settings())
    result = import_catalogue(paths, dry_run=dry_run, limits=limits)
    typer.echo(describe(result))
    for warning in result.warnings:
        typer.echo(f"fahrplan: warning: {warning}", err=True)


@app.command()
def export(path: Annotated[Path, typer.Argument(help="an .xlsx file or a folder for CSV")]) -> None:
    """Write the catalogue back (XLSX or CSV)."""
    from catalogue.export import export_catalogue

    typer.echo(export_catalogue(path))


@app.command()
def demo() -> None:
    """Demo catalogue and one full quarter, on the embedded default."""
    from fahrplan.demo.play import play

    play(typer.echo)


@app.command("status-request")
def status_request(
    period: Period = None,
) -> None:
    """Ask owners for status."""
    from fahrplan.status_commands import run_status_request

    typer.echo(run_status_request(period))


Text = Annotated[str, typer.Option()]


@status_app.command("set")
def status_set(
    code: Annotated[str, typer.Argument(help="measure code, e.g. V-03")],
    status: Annotated[str, typer.Option(help="e.g. in_progress / 'in Umsetzung', done")],
    progress: Annotated[str, typer.Option(help="percent done, 0-100")],
    comment: Annotated[str, typer.Option(help="what was achieved")] = "",
    health: Annotated[str | None, typer.Option(help="on_track/at_risk/off_track")] = None,
    health_reason: Annotated[str, typer.Option(help="why that health")] = "",
    next_steps: Text = "",
    risks: Text = "",
    forecast: Annotated[str | None, typer.Option(help="forecast end (YYYY-MM-DD)")] = None,
    by: Annotated[str | None, typer.Option(help="who took the call; default: login")] = None,
) -> None:
    """Record an answer given by phone."""
    from fahrplan.status_commands import PhoneAnswer, record_by_phone

    told = PhoneAnswer(
        status, progress, comment, health, health_reason, next_steps, risks, forecast
    )
    typer.echo(record_by_phone(code, told, by=by))


@app.command()
def remind(
    on: Day = None,
) -> None:
    """Remind and escalate."""
    from fahrplan.status_commands import run_remind

    typer.echo(run_remind(on))


@app.command()
def deadlines(
    on: Day = None,
) -> None:
    """Check roadmap deadlines."""
    from fahrplan.deadline_commands import check_deadlines

    check_deadlines(on)


@app.command()
def report(
    period: Period = None,
    out: Annotated[Path | None, typer.Option(help="folder for the files")] = None,
    public: Annotated[bool, typer.Option("--public", help="leave out internal data")] = False,
    force: Annotated[bool, typer.Option("--force", help="take a new snapshot")] = False,
    deliver: Annotated[bool, typer.Option("--deliver", help="send it to the committee")] = False,
    on: Day = None,
) -> None:
    """Committee report."""
    from fahrplan.report_commands import run_report

    typer.echo(
        run_report(period=period, on=on, out=out, public=public, force=force, deliver=deliver)
    )


@committee_app.command("meetings")
def committee_meetings(
    refresh: Annotated[
        bool, typer.Option("--refresh", help="read the council systems (OParl) first")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts")] = False,
    on: Annotated[
        str | None, typer.Option(help="list meetings from this day (YYYY-MM-DD); default today")
    ] = None,
) -> None:
    """Each committee's next meetings and their source (OParl or typed)."""
    from fahrplan.committee_commands import committee_meetings as listing

    text, warnings = listing(refresh=refresh, as_json=as_json, on=on)
    typer.echo(text)
    for warning in warnings:
        typer.echo(f"fahrplan: warning: {warning}", err=True)


@app.command()
def portal(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8080,
) -> None:
    """Run the owners' web form."""
    from portal.server import run

    run(host=host, port=port)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address of the portal")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port of the portal")] = 8080,
    portal: Annotated[bool, typer.Option(help="serve the owners' web form too")] = True,
) -> None:
    """Run all scheduled deployments (+ portal)."""
    from fahrplan.deploy_commands import serve_here

    serve_here(host=host, port=port, with_portal=portal)


@app.command()
def deploy(pool: Annotated[str, typer.Option(help="Prefect work pool (type process)")]) -> None:
    """Register every scheduled deployment on a work pool, for workers on other machines."""
    from fahrplan.deploy_commands import deploy_to_pool

    for name in deploy_to_pool(pool):
        typer.echo(f"deployed {name} to work pool {pool}")


def _verbose(arguments: list[str]) -> bool:
    """Whether `--verbose` was given among the options before the command."""
    for argument in arguments:
        if argument == VERBOSE:
            return True
        if not argument.startswith("-"):
            return False
    return False


def main() -> NoReturn:
    """Run the command line; any failure ends in one line on stderr and a telling exit code."""
    try:
        app()
    except Exception as error:
        failure = explain(error)
        if _verbose(sys.argv[1:]):
            failure.print_traceback()
        print(f"fahrplan: {failure.line}", file=sys.stderr)
        sys.exit(failure.exit_code)
    sys.exit(EXIT_OK)
