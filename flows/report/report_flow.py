"""Flow `report`: freeze the quarter, render the committee report, deliver it once.

Started by hand (`fahrplan report`) it renders the period of every municipality and, with
`deliver`, sends it. Started by its schedule (`scheduled`), it acts only on a municipality's
delivery day (see flows/report/delivery.py) and then renders and delivers the internal
variant; on other days it does nothing. A second snapshot of a period needs `force`.

Every run first reads the committees' meetings from their council systems (OParl) into the
cache, which the schedule makes a daily refresh. A council system that is down does not stop
the run: the dates read before are used, and the log and the artifact say so.

Only a period whose status requests went out in a municipality is sent there, so a fresh
install never mails an old quarter nobody was asked about; an operator who names the period
(`deliver` with `period`) sends it regardless.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run
from pydantic import BaseModel, Field

from flows.common import RETRY_DELAYS, NotReachedError, day_parameter, local_today, transient
from flows.report import produce
from models.settings import get_settings
from notify import Delivery
from reports.oparl import CouncilReading
from reports.snapshot import checked_period, last_finished_quarter

PeriodCode = Annotated[
    str,
    Field(pattern=r"^\d{4}-Q[1-4]$", description="Quarter such as 2026-Q3; empty: the last one"),
]


class ReportOutcome(BaseModel):
    """What one run produced and delivered."""

    period_code: str
    produced: list[produce.Produced] = []
    delivered: dict[str, int] = {}
    not_due: list[str] = []
    # Municipalities where nobody was asked for the period, so its report was not sent.
    not_asked: list[str] = []
    not_reached: dict[str, str] = {}
    # Why a channel was given up, and how many messages it left for the next run.
    stopped: list[str] = []
    left_pending: int = 0
    # Per municipality: how reading each committee's council system went.
    council: dict[str, list[CouncilReading]] = {}


def _run_name() -> str:
    parameters = flow_run.parameters
    day = day_parameter(parameters.get("on")) or local_today(get_settings().zone)
    return f"report-{parameters.get('period') or last_finished_quarter(day)}"


@task(retries=3, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient)
def list_slugs() -> list[str]:
    """Every municipality, by slug."""
    return produce.municipality_slugs()


@task(retries=2, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient)
def read_council_systems(slug: str) -> list[CouncilReading]:
    """Refresh the cached meetings of one municipality's committees; never fails on the
    council system, only on the database."""
    return produce.read_council_systems(slug)


def _tell_council_readings(outcome: ReportOutcome, slug: str, zone: ZoneInfo) -> None:
    logger = get_run_logger()
    for reading in outcome.council[slug]:
        if reading.ok:
            logger.info("%s", reading.note(zone))
        else:
            logger.warning("%s", reading.note(zone))


@task(retries=3, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient)
def owners_asked(slug: str, period_code: str) -> bool:
    """Whether status requests went out for the period in this municipality."""
    return produce.owners_were_asked(slug=slug, period_code=period_code)


@task(persist_result=False)
def due_today(slug: str, period_code: str, on: date) -> bool:
    """Whether the schedule delivers this municipality's report today."""
    return produce.delivery_due(slug=slug, period_code=period_code, on=on)


@task(persist_result=False)
def produce_report(
    slug: str, period_code: str, on: date, out_dir: str, public: bool, force: bool
) -> produce.Produced:
    """Snapshot, render and write one municipality's report."""
    return produce.produce(
        slug=slug,
        period_code=period_code,
        on=on,
        out_dir=Path(out_dir),
        public=public,
        force=force,
    )


@task(retries=2, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient)
def deliver_report(slug: str, period_code: str, pdf: str) -> Delivery:
    """Send one municipality's report to its committee, once per period."""
    return produce.deliver(slug=slug, period_code=period_code, pdf=Path(pdf))


def _artifact(outcome: ReportOutcome, zone: ZoneInfo) -> None:
    parts = [f"# Report {outcome.period_code}"]
    notes = [
        f"- {slug}: {reading.note(zone)}"
        for slug, readings in outcome.council.items()
        for reading in readings
    ]
    if notes:
        parts.append("Committee meetings from the council systems (OParl):\n\n" + "\n".join(notes))
    parts += [
        produced.summary + "\n\nFiles: " + ", ".join(produced.files)
        for produced in outcome.produced
    ]
    if outcome.delivered:
        parts.append("Delivered: " + ", ".join(f"{k}: {v}" for k, v in outcome.delivered.items()))
    if outcome.not_due:
        parts.append("Not the delivery day for: " + ", ".join(outcome.not_due))
    if outcome.not_asked:
        parts.append(
            f"Not sent, because no status requests went out for {outcome.period_code} in: "
            + ", ".join(outcome.not_asked)
            + f". To send it anyway: `fahrplan report --deliver --period {outcome.period_code}`"
        )
    if outcome.not_reached:
        parts.append(
            "Not reached: " + "; ".join(f"{k} ({v})" for k, v in outcome.not_reached.items())
        )
    create_markdown_artifact(
        key=f"report-{outcome.period_code}".lower(), markdown="\n\n".join(parts)
    )


@flow(name="report", flow_run_name=_run_name)
def report(
    period: PeriodCode | None = None,
    on: date | None = None,
    out: str | None = None,
    public: bool = False,
    force: bool = False,
    deliver: bool = False,
    scheduled: bool = False,
) -> ReportOutcome:
    """Render the period's committee report (default: the last finished quarter)."""
    settings = get_settings()
    day = on or local_today(settings.zone)
    code = period or last_finished_quarter(day)
    checked_period(code, on=day)
    out_dir = out or str(settings.report_dir)
    outcome = ReportOutcome(period_code=code)
    sending, named = deliver or scheduled, deliver and period is not None
    for slug in list_slugs():
        outcome.council[slug] = read_council_systems(slug)
        _tell_council_readings(outcome, slug, settings.zone)
        asked = not sending or named or owners_asked(slug, code)
        if scheduled and not (asked and due_today(slug, code, day)):
            (outcome.not_due if asked else outcome.not_asked).append(slug)
            continue
        produced = produce_report(slug, code, day, out_dir, public and not scheduled, force)
        outcome.produced.append(produced)
        if sending and not asked:
            outcome.not_asked.append(slug)
        elif sending:
            delivery = deliver_report(slug, code, produced.pdf)
            outcome.delivered[slug] = len(delivery.sent)
            outcome.not_reached.update(delivery.failed)
            outcome.stopped += [delivery.stopped] if delivery.stopped else []
            outcome.left_pending += len(delivery.pending)
    _artifact(outcome, settings.zone)
    if outcome.not_reached or outcome.stopped:
        raise NotReachedError(
            outcome.not_reached, stopped=outcome.stopped, left_pending=outcome.left_pending
        )
    return outcome
