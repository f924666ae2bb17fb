"""Gathering status from owners: the work behind the status-request and remind flows.

Plain functions that open their own sessions, so they run the same inside a Prefect task and
without one (tests, the benchmark). Any number of them may run at once for the same period
or day: requests are created by inserts that skip existing rows, every message goes through
the ledger's claims (`notify.dispatch`), and an owner's link is derived, not drawn
(`models.status.links`), so every run and every reminder mails the same link and none
overwrites another's. A run reports as asked or reminded only what it sent itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import partial
from typing import Literal

from sqlalchemy.orm import Session

from flows.common import Action, Contact, Outcome
from models.calendar import local_day
from models.calendar_link import CalendarLink
from models.db import session_scope
from models.indicator import Indicator, facts_of
from models.indicator_judgement import next_target
from models.measure import Measure
from models.municipality import Municipality
from models.notification import idempotency_key, sent_keys
from models.person import Person
from models.settings import Language, Settings, get_settings, secret_key_bytes
from models.status.links import current_link_token
from models.status.requests import (
    PeriodTerms,
    create_missing_requests,
    mark_sent,
    open_period,
    sent_request_count,
    unsent_requests,
)
from models.status.tables import ReportingPeriod, StatusRequest
from notify import Channel, Delivery, Draft, Message, dispatch
from notify.status_messages import (
    IndicatorLine,
    MeasureLine,
    RenderedMail,
    StatusPrompt,
    render_prompt,
)

REQUEST, REMINDER, ESCALATION = "status-request", "status-reminder", "status-escalation"


def language_of(person: Person, settings: Settings) -> Language:
    """The person's language, or the installation's default for one we do not write in."""
    return (
        "en" if person.language == "en" else "de" if person.language == "de" else settings.language
    )


def line_of(measure: Measure) -> MeasureLine:
    """A measure as listed in a message."""
    return MeasureLine(
        code=measure.code, title=measure.title, status=measure.status, progress=measure.progress
    )


def indicator_line(indicator: Indicator, on: date) -> IndicatorLine:
    """An indicator as listed in a message: its last value and the next target from this day."""
    facts = facts_of(indicator)
    latest, target = facts.latest, next_target(facts.targets, on)
    return IndicatorLine(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        last_value=latest.value if latest else None,
        last_on=latest.on if latest else None,
        next_target=target.value if target else None,
        next_target_on=target.on if target else None,
    )


def message_to(
    kind: str,
    town: Municipality,
    period: ReportingPeriod,
    person: Person,
    on: date,
    mail: RenderedMail,
) -> Message:
    """A rendered mail as a message to this person."""
    return Message(
        kind=kind,
        municipality_id=town.id,
        period_code=period.code,
        person_id=person.id,
        recipient=person.email,
        on_date=on,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        apprise_urls=list(person.apprise_urls or []),
    )


def key_of(kind: str, period: ReportingPeriod, person: Person, on: date) -> str:
    """The ledger key of the message of this kind to this person on this day."""
    return idempotency_key(
        kind=kind,
        municipality_id=period.municipality_id,
        period=period.code,
        recipient=person.email,
        day=on,
    )


def unanswered(request: StatusRequest) -> list[Measure]:
    """The request's measures that have no answer yet."""
    return [item.measure for item in request.items if item.answered_at is None]


def unanswered_indicators(request: StatusRequest) -> list[Indicator]:
    """The request's indicators that have no value from the owner yet."""
    return [item.indicator for item in request.indicator_items if item.answered_at is None]


def prompt_draft(
    kind: Literal["request", "reminder"],
    request: StatusRequest,
    town: Municipality,
    on: date,
    secret: bytes,
    *,
    session: Session,
    at: datetime,
) -> Draft:
    """The owner's message of day `on`, written when a run sends it, with their link and their
    calendar link, both the same in every message: `secret` (the server's key) derives them."""
    settings = get_settings()
    period, person = request.period, request.person
    asking = kind == "request"
    measures = [item.measure for item in request.items] if asking else unanswered(request)
    indicators = (
        [item.indicator for item in request.indicator_items]
        if asking
        else unanswered_indicators(request)
    )
    prompt = StatusPrompt(
        kind=kind,
        language=language_of(person, settings),
        municipality=town.name,
        period_code=period.code,
        name=person.name,
        due_on=period.due_on,
        closes_on=period.closes_on,
        link=f"{settings.portal_url}/s/"
        + current_link_token(session=session, request=request, secret=secret, at=at),
        calendar=CalendarLink.of(
            secret=secret, portal_url=settings.portal_url, person_id=person.id
        ),
        measures=[line_of(measure) for measure in measures],
        indicators=[indicator_line(i, on) for i in sorted(indicators, key=lambda i: i.code)],
        on=on,
    )
    return Draft(
        kind=REQUEST if kind == "request" else REMINDER,
        municipality_id=town.id,
        period_code=period.code,
        person_id=person.id,
        recipient=person.email,
        on_date=on,
        write=partial(render_prompt, prompt),
        apprise_urls=tuple(person.apprise_urls or []),
    )


def prepare_requests(*, municipality_id: int, period_code: str, at: datetime) -> int:
    """Open the period (with its due date) and create the missing requests; the period's id."""
    settings = get_settings()
    terms = PeriodTerms(
        due_days=settings.status_due_days,
        grace_days=settings.status_grace_days,
        federal_state=settings.federal_state,
        zone=settings.timezone,
    )
    with session_scope(actor="status-request") as session:
        period = open_period(
            session=session,
            municipality_id=municipality_id,
            code=period_code,
            on=local_day(at, settings.zone),
            terms=terms,
        )
        create_missing_requests(
            session=session,
            period=period,
            at=at,
            zone=settings.zone,
            secret=secret_key_bytes(settings),
        )
        return period.id


def contact(
    town: Municipality, action: Action, person: Person, measures: int, detail: str = ""
) -> Contact:
    """An artifact line about this person."""
    return Contact(
        municipality=town.slug,
        action=action,
        name=person.name,
        email=person.email,
        measures=measures,
        detail=detail,
    )


def send_requests(*, period_id: int, at: datetime, channel: Channel | None = None) -> Outcome:
    """Send every request of the period that has not gone out yet, each exactly once."""
    settings = get_settings()
    zone, secret = settings.zone, secret_key_bytes(settings)
    with session_scope(actor="status-request") as session:
        period = session.get_one(ReportingPeriod, period_id)
        town = session.get_one(Municipality, period.municipality_id)
        unsent = unsent_requests(session=session, period_id=period_id)
        by_key = {
            key_of(REQUEST, period, r.person, local_day(r.created_at, zone)): r for r in unsent
        }
        # Sent by an earlier or a concurrent run that has not recorded it yet: recorded below.
        sent_before = sent_keys(session=session, keys=list(by_key))
        went_out = [r for key, r in by_key.items() if key in sent_before]
        pending = [r for key, r in by_key.items() if key not in sent_before]
        # The ledger's key holds the day the request was created, the same in every run.
        messages = [
            prompt_draft(
                "request", r, town, local_day(r.created_at, zone), secret, session=session, at=at
            )
            for r in pending
        ]
        asked_before = sent_request_count(session=session, period_id=period_id)
    delivery = dispatch(messages, channel=channel)
    pairs = list(zip(messages, pending, strict=True))
    with session_scope(actor="status-request") as session:
        delivered = delivered_requests(delivery, pairs) + went_out
        mark_sent(session=session, request_ids=[r.id for r in delivered], at=at)
    asked = sent_now(delivery, pairs)
    outcome = Outcome(
        contacts=[contact(town, "asked", r.person, len(r.items), period.code) for r in asked],
        asked_before=asked_before,
    )
    return outcome.merged(failures(town, delivery, messages))


def delivered_requests(
    delivery: Delivery, pairs: Iterable[tuple[Message | Draft, StatusRequest]]
) -> list[StatusRequest]:
    """The requests whose message went out, now or before (not those another run is sending:
    that run records them)."""
    done = set(delivery.sent) | set(delivery.already_sent)
    return [request for message, request in pairs if message.key in done]


def sent_now(
    delivery: Delivery, pairs: Iterable[tuple[Message | Draft, StatusRequest]]
) -> list[StatusRequest]:
    """The requests whose message this run sent."""
    sent = set(delivery.sent)
    return [request for message, request in pairs if message.key in sent]


def failures(
    town: Municipality, delivery: Delivery, messages: Sequence[Message | Draft]
) -> Outcome:
    """The recipients a batch did not reach, as an outcome."""
    kinds = {message.recipient: message.kind for message in messages}
    contacts = [
        Contact(
            municipality=town.slug,
            action="not reached",
            name="",
            email=recipient,
            measures=0,
            detail=f"{kinds.get(recipient, 'message')}: {error}",
        )
        for recipient, error in sorted(delivery.failed.items())
    ]
    return Outcome(
        contacts=contacts,
        not_reached=dict(delivery.failed),
        stopped=[delivery.stopped] if delivery.stopped else [],
        left_pending=len(delivery.pending),
        elsewhere=len(delivery.elsewhere),
    )
