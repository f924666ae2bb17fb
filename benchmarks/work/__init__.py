"""The pieces of work a benchmark times, each run in a child process (`benchmarks.child`).

A work is a function `(Context) -> Timed` in a module of this package: it does its untimed
preparation (building messages, reading ids) and returns the part that is timed. The timed
part returns what it did as counts, which the harness compares between a step and its
baseline: both must have done the same work, or the comparison means nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from benchmarks.synthetic import CatalogueShape

Counts = dict[str, int | str]
# The timed part returns its counts, or a function that counts after the clock has stopped
# (when counting is itself work, such as hashing every deadline found).
Timed = Callable[[], Counts | Callable[[], Counts]]
T = TypeVar("T")


class HarnessError(Exception):
    """The harness did not prepare what a work relies on, or its runs did not do the work."""


def needed(value: T | None, what: str) -> T:
    """A value the harness must have prepared; HarnessError saying what is missing."""
    if value is None:
        raise HarnessError(f"{what} is missing")
    return value


class Context(BaseModel):
    """What a work needs to know beyond the settings it reads from its environment."""

    database_url: str
    workdir: Path
    # The day the work acts on (a fake clock), when it matters.
    on: date | None = None
    # A catalogue file to import, a municipality slug, or a number of messages.
    catalogue: Path | None = None
    town: str | None = None
    messages: int = 0
    mail_url: str | None = None
    shape: CatalogueShape | None = None


def app_environment(context: Context) -> dict[str, str]:
    """The application's settings for this context, as environment variables."""
    environment = {
        "FAHRPLAN_DATABASE_URL": context.database_url,
        "FAHRPLAN_OUTBOX_DIR": str(context.workdir / "outbox"),
        "FAHRPLAN_REPORT_DIR": str(context.workdir / "reports"),
    }
    if context.town is not None:
        environment["FAHRPLAN_MUNICIPALITY"] = context.town
    return environment
