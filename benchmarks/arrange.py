"""Putting the database back into the state a step starts from, before each of its runs.

Every run of a step and of its baseline starts from the same state, so both do the same
work: the harness checks that their counts agree. These run in the harness process, against
the database its environment points at (`benchmarks.cycle.configured`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import case, delete, func, select, update

from benchmarks.work import Context, needed
from benchmarks.work.catalogue import BULK_PREFIX, IMPORTED_TOWN
from benchmarks.work.mail import KIND as MAIL_KIND
from benchmarks.work.status_cycle import REQUEST_DAY
from flows.status.asking import ESCALATION, REMINDER, REQUEST
from models.calendar import next_working_day, reminder_days
from models.db import session_scope
from models.municipality import Municipality
from models.notification import Notification
from models.settings import get_settings
from models.status.tables import ReportingPeriod, StatusRequest, StatusRequestItem
from notify.deadline_messages import DIGEST_KIND, SUMMARY_KIND


def _forget(*kinds: str) -> None:
    with session_scope(actor="benchmark") as session:
        session.execute(delete(Notification).where(Notification.kind.in_(kinds)))


def no_requests(context: Context) -> Context:
    """No period opened yet: the status request asks every owner with open measures."""
    with session_scope(actor="benchmark") as session:
        session.execute(
            delete(Notification).where(Notification.kind.in_([REQUEST, REMINDER, ESCALATION]))
        )
        for table in (StatusRequestItem, StatusRequest, ReportingPeriod):
            session.execute(delete(table))
    return context.model_copy(update={"on": REQUEST_DAY})


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=get_settings().zone)


def reminders_due(context: Context) -> Context:
    """The day after the last reminder day: a third of the owners answered, a third were
    reminded every time and are escalated now, a third missed the last reminder and get it."""
    settings = get_settings()
    with session_scope(actor="benchmark") as session:
        due_on = needed(
            session.scalar(select(func.min(ReportingPeriod.due_on))),
            "the period's due date (the status request runs before the reminders)",
        )
        days = reminder_days(due_on, settings.reminder_offsets, state=settings.federal_state)
        third = StatusRequest.id % 3
        session.execute(
            update(StatusRequest).values(
                answered_at=case((third == 0, _at(days[-1])), else_=None),
                reminder_count=case((third == 1, len(days)), else_=len(days) - 1),
                last_reminded_at=case((third == 1, _at(days[-1])), else_=_at(days[-2])),
                escalated_at=None,
            )
        )
    _forget(REMINDER, ESCALATION)
    on = next_working_day(days[-1] + timedelta(days=1), state=settings.federal_state)
    return context.model_copy(update={"on": on})


def no_deadline_notices(context: Context) -> Context:
    """Nobody has been told of a deadline today."""
    _forget(DIGEST_KIND, SUMMARY_KIND)
    return context


def no_mail(context: Context) -> Context:
    """The fan-out's messages are not in the ledger."""
    _forget(MAIL_KIND)
    return context


def no_imported_town(context: Context) -> Context:
    """The towns the import step writes do not exist (their rows go with them)."""
    with session_scope(actor="benchmark") as session:
        session.execute(
            delete(Municipality).where(Municipality.slug.in_([IMPORTED_TOWN, f"{BULK_PREFIX}-1"]))
        )
    return context
