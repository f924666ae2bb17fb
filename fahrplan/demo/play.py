"""`fahrplan demo`: the demo catalogue and one whole quarter, played on fixed days.

Every step runs the real flow (so the runs and artifacts appear in Prefect) or the real
portal (owners answer through the web form's own code, following the links in their mail).
It works in `var/demo/` and starts afresh each time, so it never touches a town's data.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx

from catalogue.importer import describe, import_catalogue
from fahrplan.demo import CATALOGUE
from fahrplan.init_command import initialise
from flows.deadlines.deadlines_flow import deadlines
from flows.report.report_flow import report
from flows.status.remind_flow import remind
from flows.status.request_flow import status_request
from models.db import reset_engine, session_scope
from models.indicator import Indicator, facts_of
from models.indicator_judgement import next_target
from models.settings import get_settings
from portal.form_reader import form_values
from portal.server import running_in_thread

DEMO_DIR = Path("var/demo")
PERIOD = "2026-Q4"
LINK = re.compile(r"/s/([A-Za-z0-9_-]{43})\b")
INDICATOR_FIELD = re.compile(r"k([0-9]+)-value")


@dataclass(frozen=True)
class Step:
    """One day's action of the quarter."""

    on: date
    title: str
    run: Callable[[], str]


def use_demo_folder(folder: Path = DEMO_DIR) -> None:
    """Start afresh in the demo folder: its own SQLite database, outbox and reports."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # The demo always plays on the embedded default, whatever the environment configures.
    os.environ["FAHRPLAN_DATABASE_URL"] = f"sqlite:///{folder / 'fahrplan.sqlite3'}"
    os.environ["FAHRPLAN_OUTBOX_DIR"] = str(folder / "outbox")
    os.environ["FAHRPLAN_REPORT_DIR"] = str(folder / "reports")
    os.environ.pop("FAHRPLAN_MAIL_URL", None)
    get_settings.cache_clear()
    reset_engine()


def _mails() -> list[EmailMessage]:
    found = []
    for path in sorted(get_settings().outbox_dir.glob("*.eml")):
        found.append(message_from_bytes(path.read_bytes(), policy=policy.default))
    return found


def _latest_links() -> dict[str, str]:
    """Each owner's most recent link, read from the mails in the outbox as they would."""
    links: dict[str, str] = {}
    for mail in _mails():
        body = mail.get_body(("plain",))
        found = LINK.findall(body.get_content()) if body else []
        if found:
            links[str(mail["To"])] = found[-1]
    return links


def _answer(client: httpx.Client, token: str, progress_step: int) -> None:
    """Fill in the owner's form as they would: raise progress, say what was achieved."""
    values = form_values(client.get(f"/s/{token}").text)
    for name in [n for n in values if n.endswith("-progress")]:
        values[name] = str(min(100, int(values[name] or 0) + progress_step))
        values[name.replace("-progress", "-achieved")] = "Arbeitsstand im Quartal fortgeschrieben."
        values[name.replace("-progress", "-health")] = (
            values.get(name.replace("-progress", "-health")) or "on_track"
        )
    values |= _indicator_values(values)
    response = client.post(f"/s/{token}", data={**values, "save": "all"})
    response.raise_for_status()


def _indicator_values(values: dict[str, str]) -> dict[str, str]:
    """A value for each indicator on the form: a quarter of the way from the last toward the
    next target, as a town moving forward would report."""
    found = {}
    with session_scope(actor="demo") as session:
        for name in values:
            match = INDICATOR_FIELD.fullmatch(name)
            indicator = session.get(Indicator, int(match[1])) if match else None
            if indicator is None:
                continue
            facts = facts_of(indicator)
            last = facts.latest or facts.baseline
            target = next_target(facts.targets, last.on) or facts.path[-1]
            step = (target.value - last.value) / 4
            places = Decimal(1) if last.value == last.value.to_integral_value() else Decimal("0.1")
            found[name] = str((last.value + step).quantize(places)).replace(".", ",")
    return found


def owners_answer(share: float = 0.5) -> str:
    """About half of the owners answer through the portal; the others will be reminded."""
    links = sorted(_latest_links().items())
    answering = links[: max(1, int(len(links) * share))]
    with running_in_thread() as url, httpx.Client(base_url=url) as client:
        for number, (_, token) in enumerate(answering):
            _answer(client, token, progress_step=10 + 5 * (number % 4))
    return f"{len(answering)} of {len(links)} owners answered in the web form"


def quiet_prefect() -> None:
    """Keep Prefect's per-run console lines out of the demo's own progress."""
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)


def prepare() -> str:
    """The demo database, schema and catalogue."""
    initialise()
    result = import_catalogue([CATALOGUE])
    return describe(result).splitlines()[0]


def _asked(on: date) -> str:
    outcome = status_request(period=PERIOD, on=on)
    return f"{outcome.count('asked')} owners asked, each with one mail and a personal link"


def _reminded(on: date) -> str:
    outcome = remind(on=on)
    return f"{outcome.count('reminded')} reminded, {outcome.count('escalated')} escalations"


def _deadlines(on: date) -> str:
    outcome = deadlines(on=on)
    return f"{outcome.deadlines} open deadlines, {outcome.digests} owner digests"


def _report(on: date) -> str:
    outcome = report(period=PERIOD, on=on, scheduled=True)
    (produced,) = outcome.produced
    sent = sum(outcome.delivered.values())
    return f"{Path(produced.pdf).name} rendered and sent to {sent} committee members"


def quarter() -> list[Step]:
    """The quarter as the schedules would play it (see deployments/)."""
    return [
        Step(date(2026, 11, 30), "catalogue", prepare),
        Step(date(2026, 12, 1), "status-request", lambda: _asked(date(2026, 12, 1))),
        Step(date(2026, 12, 1), "deadlines", lambda: _deadlines(date(2026, 12, 1))),
        Step(date(2026, 12, 3), "answers in the portal", owners_answer),
        Step(date(2026, 12, 9), "remind (7 days before due)", lambda: _reminded(date(2026, 12, 9))),
        Step(date(2026, 12, 16), "remind (due day)", lambda: _reminded(date(2026, 12, 16))),
        Step(date(2026, 12, 16), "deadlines", lambda: _deadlines(date(2026, 12, 16))),
        Step(
            date(2026, 12, 21),
            "remind (3 working days after)",
            lambda: _reminded(date(2026, 12, 21)),
        ),
        Step(date(2026, 12, 22), "escalation", lambda: _reminded(date(2026, 12, 22))),
        Step(date(2027, 1, 4), "report", lambda: _report(date(2027, 1, 4))),
    ]


def play(echo: Callable[[str], None]) -> None:
    """Play the quarter, telling each step as it ends; then where to look."""
    use_demo_folder()
    quiet_prefect()
    steps = quarter()
    for number, step in enumerate(steps, start=1):
        echo(f"[{number}/{len(steps)}] {step.on:%d.%m.%Y} {step.title}: {step.run()}")
    echo(where_to_look())


def where_to_look() -> str:
    """The closing words: the report, the outbox, the Prefect UI."""
    settings = get_settings()
    reports = sorted(settings.report_dir.rglob("*.pdf"))
    messages = len(list(settings.outbox_dir.glob("*.eml")))
    return "\n".join(
        [
            "",
            f"Report (PDF):  {reports[-1] if reports else settings.report_dir}",
            f"Outbox (.eml): {settings.outbox_dir}  ({messages} messages)",
            f"Database:      {settings.database_url}",
            "Prefect UI:    .venv/bin/prefect server start, then open http://127.0.0.1:4200",
            f"               runs and artifacts: status-request-{PERIOD}, remind-…, deadlines-…",
        ]
    )
