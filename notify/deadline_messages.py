"""Deadline mail: the owner's daily digest and the coordinators' summary, from plain data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from models.calendar_link import CalendarLink
from models.enums import Health
from models.roadmap import Deadline, describe
from notify.message import Message
from templating import render

DIGEST_KIND = "deadline-digest"
SUMMARY_KIND = "deadline-summary"
LANGUAGES = ("de", "en")


def days_phrase(days: int, language: str) -> str:
    """`in 7 Tagen`, `heute`, `3 Tage überfällig` (German) or the English equivalent."""
    if language == "de":
        if days == 0:
            return "heute"
        if days > 0:
            return "morgen" if days == 1 else f"in {days} Tagen"
        return "1 Tag überfällig" if days == -1 else f"{-days} Tage überfällig"
    if days == 0:
        return "today"
    if days > 0:
        return "tomorrow" if days == 1 else f"in {days} days"
    return "1 day overdue" if days == -1 else f"{-days} days overdue"


class DeadlineLine(BaseModel):
    """One deadline as a mail shows it."""

    code: str
    measure_title: str
    what: str
    due_on: date
    days: int
    when: str
    legal: bool
    owner_name: str

    @classmethod
    def of(cls, deadline: Deadline, *, on: date, language: str) -> DeadlineLine:
        """The line for a deadline, seen on this day in this language."""
        days = deadline.days_left(on)
        return cls(
            code=deadline.measure_code or "–",
            measure_title=deadline.measure_title or "",
            what=describe(deadline, language),
            due_on=deadline.due_on,
            days=days,
            when=days_phrase(days, language),
            legal=deadline.is_legal,
            owner_name=deadline.owner_name or "",
        )


class TargetWarning(BaseModel):
    """An indicator's target due soon that its trend will miss (rule in docs/deadlines.md)."""

    code: str
    name: str
    unit: str
    owner_id: int | None
    owner_name: str
    target: Decimal
    due_on: date
    days: int
    when: str
    latest: Decimal | None
    latest_on: date | None
    # Where the trend from the baseline through the latest value ends on the target's day.
    projected: Decimal | None


class OwnerDigest(BaseModel):
    """Everything an owner hears of on one day, in one message."""

    municipality_id: int
    municipality_name: str
    person_id: int
    name: str
    email: str
    language: str
    apprise_urls: list[str] = []
    on: date
    overdue: list[DeadlineLine]
    upcoming: list[DeadlineLine]
    targets: list[TargetWarning] = []
    # Offered only while the owner's feed answers, i.e. while their status link works.
    calendar: CalendarLink | None = None


class HealthLine(BaseModel):
    """A measure whose derived health is not on track."""

    code: str
    title: str
    owner_name: str
    derived: Health
    reported: Health | None
    reasons: list[str]


class CoordinatorSummary(BaseModel):
    """The picture of a municipality's deadlines for its coordinators."""

    municipality_id: int
    municipality_name: str
    on: date
    cadence: Literal["daily", "weekly"]
    horizon_days: int
    overdue: list[DeadlineLine]
    upcoming: list[DeadlineLine]
    more_overdue: int = 0
    more_upcoming: int = 0
    at_risk: list[HealthLine]
    more_at_risk: int = 0
    targets: list[TargetWarning] = []
    owners_told: int
    without_owner: int


def _language(language: str) -> str:
    return language if language in LANGUAGES else "de"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_digest(digest: OwnerDigest) -> Message:
    """The owner's digest as a message, in the owner's language."""
    language = _language(digest.language)
    context = {"digest": digest, "language": language}
    return Message(
        kind=DIGEST_KIND,
        municipality_id=digest.municipality_id,
        person_id=digest.person_id,
        recipient=digest.email,
        on_date=digest.on,
        subject=_one_line(render(f"notify/deadline_digest_subject.{language}.txt", **context)),
        text=render(f"notify/deadline_digest.{language}.txt", **context),
        html=render(f"notify/deadline_digest.{language}.html", **context),
        apprise_urls=digest.apprise_urls,
    )


def render_summary(
    summary: CoordinatorSummary,
    *,
    person_id: int,
    email: str,
    language: str,
    apprise_urls: list[str],
) -> Message:
    """The coordinator's summary as a message to one coordinator."""
    language = _language(language)
    context = {"summary": summary, "language": language}
    return Message(
        kind=SUMMARY_KIND,
        municipality_id=summary.municipality_id,
        person_id=person_id,
        recipient=email,
        on_date=summary.on,
        subject=_one_line(render(f"notify/deadline_summary_subject.{language}.txt", **context)),
        text=render(f"notify/deadline_summary.{language}.txt", **context),
        html=render(f"notify/deadline_summary.{language}.html", **context),
        apprise_urls=apprise_urls,
    )
