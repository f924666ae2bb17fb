"""Rendering the committee's mail that carries the report: a pydantic model in, the mail out."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from models.settings import Language
from notify.status_messages import RenderedMail, render_mail


class ReportNotice(BaseModel):
    """The report of one period, sent to one member of the committee."""

    language: Language
    municipality: str
    committee: str
    period_code: str
    taken_on: date
    measures: int
    progress: int
    at_risk: int
    next_meeting_on: date | None
    attachment: str


def render_report_notice(notice: ReportNotice) -> RenderedMail:
    """The committee member's mail, in the installation's language."""
    return render_mail("committee_report", notice, notice.language)
