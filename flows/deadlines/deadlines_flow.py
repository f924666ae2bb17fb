"""Flow `deadlines`, daily: warn owners of deadlines coming near or passed, tell the coordinators.

Load → decide → send one digest per owner and the coordinators' summary → tell the operator
in a table artifact. Every message goes through the notification ledger, so a second run on the
same day sends nothing twice and a re-run only retries those who were not reached.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from pydantic import BaseModel, Field

from flows.common import RETRY_DELAYS, NotReachedError, local_today, municipality_ids, transient
from flows.deadlines.plan import DeadlinePlan, plan_deadlines
from models.roadmap import describe
from models.settings import Settings, get_settings, usable_horizons
from notify import Delivery, dispatch
from notify.deadline_messages import DIGEST_KIND, days_phrase

ARTIFACT_LIMIT = 500


class DeadlineRow(BaseModel):
    """One line of the operator's table."""

    municipality: str
    measure: str
    title: str
    what: str
    due: str
    days: str
    owner: str
    told_today: str


class DeadlinesOutcome(BaseModel):
    """What one day's check did across all municipalities."""

    on: date
    deadlines: int = 0
    digests: int = 0
    summaries: int = 0
    sent: int = 0
    already_sent: int = 0
    elsewhere: int = 0
    not_reached: dict[str, str] = {}
    stopped: list[str] = []
    left_pending: int = 0
    rows: list[DeadlineRow] = []

    def add(self, plan: DeadlinePlan, delivery: Delivery, language: str) -> None:
        """Count in one municipality's plan and what became of its messages."""
        self.deadlines += len(plan.deadlines)
        self.digests += sum(1 for m in plan.messages if m.kind == DIGEST_KIND)
        self.summaries += sum(1 for m in plan.messages if m.kind != DIGEST_KIND)
        self.sent += len(delivery.sent)
        self.already_sent += len(delivery.already_sent)
        self.elsewhere += len(delivery.elsewhere)
        self.not_reached |= delivery.failed
        self.stopped += [delivery.stopped] if delivery.stopped else []
        self.left_pending += len(delivery.pending)
        room = ARTIFACT_LIMIT - len(self.rows)
        self.rows += [
            DeadlineRow(
                municipality=plan.town.slug,
                measure=d.measure_code or "",
                title=d.measure_title or "",
                what=describe(d, language),
                due=d.due_on.isoformat(),
                days=days_phrase(d.days_left(plan.on), language),
                owner=d.owner_name or "",
                told_today="yes" if plan.notice_of(d) else "",
            )
            for d in plan.deadlines[: max(room, 0)]
        ]

    def markdown(self) -> str:
        """A short account for the artifact's description."""
        lines = [
            f"**deadlines-{self.on.isoformat()}**: {self.deadlines} open deadlines "
            f"(overdue or within the horizon), {self.digests} owner digests, "
            f"{self.summaries} coordinator summaries; {self.sent} sent now, "
            f"{self.already_sent} sent before, {self.elsewhere} sent by another run.",
        ]
        if self.deadlines > len(self.rows):
            lines.append(f"The table shows the first {len(self.rows)} of {self.deadlines}.")
        lines += [f"- not reached: {who} ({why})" for who, why in sorted(self.not_reached.items())]
        lines += [f"- {why}; {self.left_pending} left for the next run" for why in self.stopped]
        return "\n\n".join(lines)


@task(
    retries=3, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient, cache_policy=NO_CACHE
)
def load_municipalities() -> list[int]:
    """Every municipality to check."""
    return municipality_ids()


@task(
    retries=3, retry_delay_seconds=RETRY_DELAYS, retry_condition_fn=transient, cache_policy=NO_CACHE
)
def check_municipality(
    municipality_id: int, on: date, settings: Settings
) -> tuple[DeadlinePlan, Delivery]:
    """Load, decide and render for one municipality, then send each message exactly once; a
    recipient who cannot be reached does not stop the others.

    One task run per municipality, not one per step: each task run costs the Prefect server
    and client more than a town's worth of work at district scale (see benchmarks/). A retry
    plans again and sends only what the ledger does not hold as sent.
    """
    plan = plan_deadlines(municipality_id=municipality_id, on=on, settings=settings)
    return plan, dispatch(plan.messages)


def _run_name() -> str:
    on = flow_run.parameters.get("on")
    return f"deadlines-{on or local_today(get_settings().zone)}"


Horizons = Annotated[
    list[int] | None,
    Field(
        description="Days before a due date on which owners hear of it, e.g. [30, 14, 7, 1]; "
        "empty: FAHRPLAN_DEADLINE_HORIZONS"
    ),
]


# No retries of the flow itself (see RETRY_DELAYS in flows/common.py): tomorrow's run, or an
# operator's re-run, sends what this one could not.
@flow(name="deadlines", flow_run_name=_run_name)
def deadlines(on: date | None = None, horizons: Horizons = None) -> DeadlinesOutcome:
    """Check every municipality's deadlines for a day (today in the local time zone)."""
    settings = get_settings()
    if horizons is not None:
        settings = settings.model_copy(update={"deadline_horizons": usable_horizons(horizons)})
    day = on or local_today(settings.zone)
    outcome = DeadlinesOutcome(on=day)
    for municipality_id in load_municipalities():
        plan, delivery = check_municipality(municipality_id, day, settings)
        outcome.add(plan, delivery, settings.language)
    create_table_artifact(
        key="deadlines",
        table=[row.model_dump() for row in outcome.rows],
        description=outcome.markdown(),
    )
    if outcome.not_reached or outcome.stopped:
        raise NotReachedError(
            outcome.not_reached, stopped=outcome.stopped, left_pending=outcome.left_pending
        )
    return outcome
