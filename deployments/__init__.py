"""Declarations of every scheduled flow: entrypoint, schedule, parameters. No logic lives here.

Schedules are `Cron` in Europe/Berlin: an `Interval` would drift by an hour at each DST change.
Every deployment runs at most once at a time; a run that would overlap is cancelled, not queued.
The flows are idempotent for their period or day, so a duplicate run after a redeploy is harmless.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

TIMEZONE = "Europe/Berlin"
TAGS = ["digitalfahrplan"]


class Declaration(BaseModel):
    """One scheduled flow as the Prefect UI shows it."""

    name: str
    entrypoint: str
    cron: str
    # With day_or false, a cron with both day-of-month and weekday means "this day AND weekday".
    day_or: bool = True
    description: str
    tags: list[str] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict)


DECLARATIONS: list[Declaration] = [
    Declaration(
        name="status-request",
        entrypoint="flows/status/request_flow.py:status_request",
        # Weekdays 1–7 of a quarter's last month; the flow acts on the first working day only
        # (public holidays included) and is idempotent per period on the others.
        cron="0 8 1-7 3,6,9,12 1-5",
        day_or=False,
        description="Asks every measure owner for the status of the current quarter.",
        tags=[*TAGS, "status"],
        parameters={"first_working_day_only": True},
    ),
    Declaration(
        name="remind",
        entrypoint="flows/status/remind_flow.py:remind",
        cron="0 8 * * 1-5",
        description="Reminds owners who have not answered and escalates after the last reminder.",
        tags=[*TAGS, "status"],
    ),
    Declaration(
        name="deadlines",
        entrypoint="flows/deadlines/deadlines_flow.py:deadlines",
        cron="0 7 * * *",
        description="Warns owners and the coordinator of milestones and OZG deadlines.",
        tags=[*TAGS, "deadlines"],
    ),
    Declaration(
        name="report",
        entrypoint="flows/report/report_flow.py:report",
        # Daily: the flow delivers on the quarter's first working day, or the configured number
        # of days before the committee's next meeting, once per period.
        cron="30 6 * * *",
        description="Freezes the quarter and delivers the committee report.",
        tags=[*TAGS, "report"],
        parameters={"scheduled": True},
    ),
]


def declaration(name: str) -> Declaration:
    """The declaration with this name."""
    return next(found for found in DECLARATIONS if found.name == name)
