"""When the committee gets the report, and the messages that carry it.

By default the report of a quarter goes out on the first working day after the quarter.
With FAHRPLAN_REPORT_DAYS_BEFORE_MEETING it goes out that many days before the committee's
first meeting after the quarter (never before the quarter has ended): its merged schedule, in
which the council system's dates (OParl) move or drop typed ones (see models/meeting.py).
Every message is keyed to the period, not to the day it is sent, so a period's report reaches
each member once.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel

from models.calendar import next_working_day
from models.enums import Health
from models.settings import Language
from models.status.tables import period_bounds
from notify import Message
from notify.report_messages import ReportNotice, render_report_notice
from reports.data import ReportData

KIND = "committee-report"


class CommitteeTargets(BaseModel):
    """Who receives a committee's report: e-mail recipients and further Apprise URLs."""

    name: str
    recipients: list[str]
    apprise_urls: list[str]
    meetings: list[date]


def delivery_day(
    *, period_code: str, meetings: list[date], days_before: int | None, state: str
) -> date:
    """The day this period's report is due at the committee (see the module docstring)."""
    _, ends_on = period_bounds(period_code)
    after_quarter = next_working_day(ends_on + timedelta(days=1), state=state)
    upcoming = sorted(day for day in meetings if day > ends_on)
    if days_before is None or not upcoming:
        return after_quarter
    return max(after_quarter, upcoming[0] - timedelta(days=days_before))


def committee_messages(
    *,
    data: ReportData,
    municipality_id: int,
    committees: list[CommitteeTargets],
    pdf: Path,
    language: Language,
) -> list[Message]:
    """One message per member with the PDF attached; a committee's further Apprise targets
    (a Teams channel, say) get it once, with the message to its first member."""
    figures = data.figures
    at_risk = figures.by_health.get(Health.AT_RISK, 0) + figures.by_health.get(Health.OFF_TRACK, 0)
    messages = []
    for committee in committees:
        upcoming = [day for day in committee.meetings if day > data.period_ends_on]
        mail = render_report_notice(
            ReportNotice(
                language=language,
                municipality=data.municipality_name,
                committee=committee.name,
                period_code=data.period_code,
                taken_on=data.as_of,
                measures=figures.measures,
                progress=figures.progress,
                at_risk=at_risk,
                next_meeting_on=min(upcoming, default=None),
                attachment=pdf.name,
            )
        )
        for number, recipient in enumerate(committee.recipients):
            messages.append(
                Message(
                    kind=KIND,
                    municipality_id=municipality_id,
                    period_code=data.period_code,
                    recipient=recipient,
                    # Keyed to the period, not the day: one report per member and period.
                    on_date=data.period_ends_on,
                    subject=mail.subject,
                    text=mail.text,
                    html=mail.html,
                    attachments=[pdf],
                    apprise_urls=committee.apprise_urls if number == 0 else [],
                )
            )
    return messages
