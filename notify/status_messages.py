"""Rendering the messages of status gathering: a pydantic model in, subject and bodies out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from models.calendar_link import CalendarLink
from models.enums import MeasureStatus
from models.settings import Language
from templating import render
from templating.labels import STATUS_LABELS


class MeasureLine(BaseModel):
    """One measure as it is listed in a message."""

    code: str
    title: str
    status: MeasureStatus
    progress: int


class IndicatorLine(BaseModel):
    """An indicator whose current value an owner is asked for, with what it was and aims at."""

    code: str
    name: str
    unit: str
    last_value: Decimal | None = None
    last_on: date | None = None
    next_target: Decimal | None = None
    next_target_on: date | None = None


class StatusPrompt(BaseModel):
    """The request to an owner, or a reminder of it: their measures, their link, their calendar."""

    kind: Literal["request", "reminder"]
    language: Language
    municipality: str
    period_code: str
    name: str
    due_on: date
    closes_on: date
    link: str
    # The owner's calendar feed: unlike `link`, the same in every message.
    calendar: CalendarLink
    measures: list[MeasureLine]
    indicators: list[IndicatorLine] = []
    # The day the message goes out; a reminder after the due date says it is overdue.
    on: date

    @property
    def overdue(self) -> bool:
        """Whether the due date has passed."""
        return self.on > self.due_on


class MissingOwner(BaseModel):
    """An owner who has not answered, and for which measures."""

    name: str
    email: str
    org_unit: str
    reminders: int
    measures: list[MeasureLine]
    indicators: list[IndicatorLine] = []


class EscalationNotice(BaseModel):
    """To a coordinator (everyone missing) or a deputy (the owners they stand in for)."""

    language: Language
    municipality: str
    period_code: str
    name: str
    due_on: date
    as_coordinator: bool
    missing: list[MissingOwner]


class RenderedMail(BaseModel):
    """A message ready to be put into a Message."""

    subject: str
    text: str
    html: str


def render_mail(name: str, model: BaseModel, language: Language) -> RenderedMail:
    """Subject, plain text and HTML of the templates `notify/<name>.<language>.*`."""
    context = {"m": model, "labels": STATUS_LABELS[language]}
    subject = render(f"notify/{name}.{language}.subject.txt", **context)
    return RenderedMail(
        subject=" ".join(subject.split()),
        text=render(f"notify/{name}.{language}.txt", **context),
        html=render(f"notify/{name}.{language}.html", **context),
    )


def render_prompt(prompt: StatusPrompt) -> RenderedMail:
    """The request or reminder mail to an owner, in the owner's language."""
    return render_mail("status_prompt", prompt, prompt.language)


def render_escalation(notice: EscalationNotice) -> RenderedMail:
    """The escalation mail to a coordinator or a deputy, in their language."""
    return render_mail("status_escalation", notice, notice.language)
