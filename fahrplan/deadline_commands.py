"""`fahrplan deadlines`: the table for a coordinator at the terminal, then the daily flow."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from fahrplan.flow_runs import run_flow
from fahrplan.options import parse_day
from flows.common import local_today
from flows.deadlines.deadlines_flow import deadlines as deadlines_flow
from models.db import session_scope
from models.municipality import all_municipalities
from models.roadmap import Deadline, deadlines_within, describe
from models.settings import get_settings
from notify.deadline_messages import days_phrase
from templating.formatting import format_date

HEADINGS = {
    "de": ("Maßnahme", "Titel", "Was", "Fällig am", "Tage", "Verantwortlich"),
    "en": ("Measure", "Title", "What", "Due on", "Days", "Owner"),
}


def day_or_today(text: str | None) -> date:
    """The day given with `--on`, today in the local time zone when none is given."""
    return parse_day(text) or local_today(get_settings().zone)


def deadline_table(deadlines: list[Deadline], *, on: date, caption: str, language: str) -> Table:
    """A readable table of overdue and upcoming deadlines, overdue ones in red."""
    table = Table(title=caption, title_justify="left")
    code, title, what, due, days, owner = HEADINGS[language]
    table.add_column(code, no_wrap=True)
    table.add_column(title, ratio=2)
    table.add_column(what, ratio=3)
    table.add_column(due, no_wrap=True)
    table.add_column(days, ratio=1)
    table.add_column(owner, ratio=1)
    for deadline in deadlines:
        left = deadline.days_left(on)
        table.add_row(
            deadline.measure_code or "–",
            deadline.measure_title or "",
            describe(deadline, language),
            format_date(deadline.due_on, language),
            days_phrase(left, language),
            deadline.owner_name or "–",
            style="red" if left < 0 else None,
        )
    return table


def _title(name: str, on: date, horizon: int, language: str) -> str:
    if language == "de":
        return (
            f"{name}: Fristen am {format_date(on)}, überfällig oder in den nächsten {horizon} Tagen"
        )
    return f"{name}: deadlines on {on.isoformat()}, overdue or due within {horizon} days"


def print_tables(console: Console, on: date) -> None:
    """One table per municipality of what is overdue or due within the largest horizon."""
    settings = get_settings()
    language = settings.language if settings.language in HEADINGS else "de"
    horizon = max(settings.deadline_horizons)
    with session_scope(actor="fahrplan deadlines") as session:
        for town in all_municipalities(session=session):
            found = deadlines_within(session=session, municipality_id=town.id, on=on, days=horizon)
            caption = _title(town.name, on, horizon, language)
            console.print(deadline_table(found, on=on, caption=caption, language=language))


def check_deadlines(on_text: str | None) -> None:
    """Print the tables, then run the flow once (FlowRunError naming who was not reached)."""
    on = day_or_today(on_text)
    console = Console()
    print_tables(console, on)
    outcome = run_flow(deadlines_flow, on=on)
    console.print(
        f"deadlines-{on.isoformat()}: owner digests {outcome.digests}, "
        f"coordinator summaries {outcome.summaries}; sent now {outcome.sent}, "
        f"sent before {outcome.already_sent}"
    )
