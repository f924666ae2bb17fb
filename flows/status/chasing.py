"""Reminders to owners who have not answered, and the one escalation after the last reminder.

When and to whom is decided by `models.status.requests.chase`; this module renders, sends
and records. A reminder carries the same link as the request (`models.status.links`), so a
form the owner has open keeps working, and so does the calendar link
(`models.calendar_link`). Concurrent runs on one day send each reminder and escalation once
(the ledger's claims); each run reports only what it sent itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from sqlalchemy.orm import Session

from flows.common import Contact, Outcome
from flows.status.asking import (
    ESCALATION,
    REMINDER,
    contact,
    delivered_requests,
    failures,
    indicator_line,
    key_of,
    language_of,
    line_of,
    message_to,
    prompt_draft,
    sent_now,
    unanswered,
    unanswered_indicators,
)
from models.calendar import local_day, reminder_days
from models.db import session_scope
from models.municipality import Municipality
from models.notification import sent_keys
from models.person import Person, coordinators_of
from models.settings import get_settings, secret_key_bytes
from models.status.requests import (
    Chase,
    chase,
    mark_escalated,
    mark_reminded,
    open_requests,
)
from models.status.tables import ReportingPeriod, StatusRequest
from notify import Channel, Delivery, Draft, Message, dispatch
from notify.status_messages import EscalationNotice, MissingOwner, render_escalation


@dataclass
class Reminders:
    """The reminder messages of one run, beside the requests they remind of; `went_out` are
    the requests whose reminder of today the ledger holds as sent already."""

    messages: list[Draft] = field(default_factory=list)
    requests: list[StatusRequest] = field(default_factory=list)
    went_out: list[StatusRequest] = field(default_factory=list)


@dataclass
class Escalations:
    """The escalation messages of one run and the requests each of them names."""

    messages: list[Message] = field(default_factory=list)
    names: dict[str, list[StatusRequest]] = field(default_factory=dict)
    recipients: dict[str, Person] = field(default_factory=dict)
    # Requests nobody can be told about: no coordinator and no deputy.
    unaddressed: list[StatusRequest] = field(default_factory=list)


def _plans(requests: list[StatusRequest], on: date) -> dict[int, Chase]:
    settings = get_settings()
    days: dict[int, list[date]] = {}
    plans = {}
    for request in requests:
        if request.period_id not in days:
            days[request.period_id] = reminder_days(
                request.period.due_on, settings.reminder_offsets, state=settings.federal_state
            )
        plans[request.id] = chase(
            request=request,
            reminder_days=days[request.period_id],
            on=on,
            zone=settings.zone,
            state=settings.federal_state,
        )
    return plans


def _reminders(
    session: Session, town: Municipality, due: list[StatusRequest], at: datetime
) -> Reminders:
    """Reminders not yet sent today, each with the owner's link of the period."""
    settings = get_settings()
    on, secret = local_day(at, settings.zone), secret_key_bytes(settings)
    by_key = {key_of(REMINDER, r.period, r.person, on): r for r in due}
    went_out = sent_keys(session=session, keys=list(by_key))
    pending = [request for key, request in by_key.items() if key not in went_out]
    messages = [
        prompt_draft("reminder", r, town, on, secret, session=session, at=at) for r in pending
    ]
    return Reminders(messages, pending, [by_key[key] for key in went_out])


def _missing(request: StatusRequest, on: date) -> MissingOwner:
    owner = request.person
    indicators = sorted(unanswered_indicators(request), key=lambda i: i.code)
    return MissingOwner(
        name=owner.name,
        email=owner.email,
        org_unit=owner.org_unit,
        reminders=request.reminder_count,
        measures=[line_of(measure) for measure in unanswered(request)],
        indicators=[indicator_line(indicator, on) for indicator in indicators],
    )


def _audiences(
    requests: list[StatusRequest], coordinators: list[Person]
) -> dict[int, tuple[Person, bool, list[StatusRequest]]]:
    """Who is told about which requests: coordinators about all, deputies about their owners'."""
    audiences = {person.id: (person, True, list(requests)) for person in coordinators}
    for request in requests:
        deputy = request.person.deputy
        if deputy is None or deputy.id == request.person_id:
            continue
        _, as_coordinator, named = audiences.setdefault(deputy.id, (deputy, False, []))
        if not as_coordinator:
            named.append(request)
    return audiences


def _escalations(
    session: Session, town: Municipality, due: list[StatusRequest], on: date
) -> Escalations:
    settings = get_settings()
    coordinators = coordinators_of(session=session, municipality_id=town.id)
    batch = Escalations()
    for _, group in groupby(due, key=lambda request: request.period_id):
        requests = list(group)
        period: ReportingPeriod = requests[0].period
        audiences = _audiences(requests, coordinators)
        named = {r.id for _, _, named in audiences.values() for r in named}
        batch.unaddressed += [r for r in requests if r.id not in named]
        for person, as_coordinator, named_requests in audiences.values():
            notice = EscalationNotice(
                language=language_of(person, settings),
                municipality=town.name,
                period_code=period.code,
                name=person.name,
                due_on=period.due_on,
                as_coordinator=as_coordinator,
                missing=[_missing(r, on) for r in named_requests],
            )
            mail = render_escalation(notice)
            batch.messages.append(message_to(ESCALATION, town, period, person, on, mail))
            key = key_of(ESCALATION, period, person, on)
            batch.names[key], batch.recipients[key] = named_requests, person
    return batch


def _escalated(
    town: Municipality, delivery: Delivery, batch: Escalations
) -> tuple[list[StatusRequest], list[Contact]]:
    """Requests whose every escalation went out (or had nobody to go to), and the contacts
    this run made (another run that sent an escalation reports it)."""
    done = set(delivery.sent) | set(delivery.already_sent)
    failed = {r.id for key, named in batch.names.items() if key not in done for r in named}
    contacts = []
    for key, named in batch.names.items():
        if key in delivery.sent:
            missing = "; ".join(
                f"{r.person.name} ({', '.join(m.code for m in unanswered(r))})" for r in named
            )
            measures = sum(len(unanswered(r)) for r in named)
            detail = f"{named[0].period.code}: missing {missing}"
            contacts.append(contact(town, "escalated", batch.recipients[key], measures, detail))
    named_requests = {r.id: r for named in batch.names.values() for r in named}
    escalated = [r for request_id, r in named_requests.items() if request_id not in failed]
    return escalated + batch.unaddressed, contacts


def chase_owners(*, municipality_id: int, at: datetime, channel: Channel | None = None) -> Outcome:
    """Remind the owners due a reminder today and escalate those past the last reminder."""
    on = local_day(at, get_settings().zone)
    with session_scope(actor="remind") as session:
        town = session.get_one(Municipality, municipality_id)
        requests = open_requests(session=session, municipality_id=municipality_id, on=on)
        plans = _plans(requests, on)
        stages = {request_id: plan.stage for request_id, plan in plans.items()}
        due = [r for r in requests if plans[r.id].remind]
        reminders = _reminders(session, town, due, at)
        due = [r for r in requests if plans[r.id].escalate]
        escalations = _escalations(session, town, due, on)
    messages = reminders.messages + escalations.messages
    delivery = dispatch(messages, channel=channel)
    pairs = list(zip(reminders.messages, reminders.requests, strict=True))
    reminded = delivered_requests(delivery, pairs) + reminders.went_out
    escalated, contacts = _escalated(town, delivery, escalations)
    with session_scope(actor="remind") as session:
        mark_reminded(session=session, stages={r.id: stages[r.id] for r in reminded}, at=at)
        marked = mark_escalated(session=session, request_ids=[r.id for r in escalated], at=at)
    # Nobody to tell: the run that marks the request escalated is the one that reports it.
    contacts += [
        contact(town, "escalated", r.person, len(unanswered(r)), "nobody to tell: no coordinator")
        for r in escalations.unaddressed
        if r.id in marked
    ]
    contacts[:0] = [
        contact(town, "reminded", r.person, len(unanswered(r)), f"{r.period.code}: reminder")
        for r in sent_now(delivery, pairs)
    ]
    return Outcome(contacts=contacts).merged(failures(town, delivery, messages))
