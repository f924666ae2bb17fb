"""The daily deadline check without Prefect: load a municipality's deadlines, decide who hears of
what today, and render the messages. The `deadlines` flow runs this per municipality."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from flows.deadlines.targets import warnings_by_language
from models.calendar_link import CalendarLink
from models.db import session_scope
from models.enums import Health
from models.errors import MunicipalityGoneError
from models.health import MeasureHealth, measure_health
from models.municipality import Municipality
from models.person import Person, coordinators_of, people_of
from models.roadmap import Deadline, deadlines_within, notice
from models.settings import Settings, secret_key_bytes
from models.status.requests import people_with_live_links
from notify import Message
from notify.deadline_messages import (
    LANGUAGES,
    CoordinatorSummary,
    DeadlineLine,
    HealthLine,
    OwnerDigest,
    TargetWarning,
    render_digest,
    render_summary,
)

SUMMARY_LIMIT = 100
MONDAY = 0


class Recipient(BaseModel):
    """Who a message goes to, without the ORM row."""

    id: int
    name: str
    email: str
    language: str
    apprise_urls: list[str] = []

    @classmethod
    def of(cls, person: Person, *, default_language: str) -> Recipient:
        """The recipient behind a person row; languages we do not write become the default."""
        known = person.language in LANGUAGES
        return cls(
            id=person.id,
            name=person.name,
            email=person.email,
            language=person.language if known else default_language,
            apprise_urls=list(person.apprise_urls or []),
        )


class DeadlineTerms(BaseModel):
    """What a day's check depends on beyond the data: when owners hear of a deadline, and
    how often coordinators get the whole picture."""

    horizons: list[int]
    summary_cadence: str

    @classmethod
    def of(cls, settings: Settings) -> DeadlineTerms:
        """The terms as configured."""
        return cls(
            horizons=settings.deadline_horizons, summary_cadence=settings.coordinator_summary
        )


class Town(BaseModel):
    """The municipality a plan is for."""

    id: int
    slug: str
    name: str


class DeadlinePlan(BaseModel):
    """What one municipality's deadline check found and means to send on one day."""

    town: Town
    on: date
    deadlines: list[Deadline]
    noticed: set[str]
    messages: list[Message]

    def notice_of(self, deadline: Deadline) -> bool:
        """Whether an owner hears of this deadline today."""
        return deadline.uid(self.town.slug) in self.noticed


def summary_due(*, on: date, cadence: str, anything_noticed: bool) -> bool:
    """Daily summaries go out on days when an owner hears of something, weekly ones on Mondays."""
    if cadence == "weekly":
        return on.weekday() == MONDAY
    return anything_noticed


def calendar_links(person_ids: Iterable[int], settings: Settings) -> dict[int, CalendarLink]:
    """These people's calendar links; the secret key is read only when somebody needs one."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    secret = secret_key_bytes(settings)
    return {
        person_id: CalendarLink.of(
            secret=secret, portal_url=settings.portal_url, person_id=person_id
        )
        for person_id in ids
    }


def live_calendars(
    session: Session, *, municipality_id: int, owner_ids: set[int], settings: Settings
) -> dict[int, CalendarLink]:
    """The calendar links of those owners whose feed answers: a digest offers no link that
    would only say it is gone."""
    if not owner_ids:
        return {}
    live = people_with_live_links(session=session, municipality_id=municipality_id)
    return calendar_links(owner_ids & live, settings)


def owner_digests(
    *,
    town: Town,
    on: date,
    noticed: Sequence[Deadline],
    people: dict[int, Recipient],
    calendars: dict[int, CalendarLink],
    targets: dict[str, list[TargetWarning]] | None = None,
) -> list[OwnerDigest]:
    """One digest per owner listing every deadline of theirs that is noticed today and every
    target of theirs the trend will miss that enters a horizon today (`targets` by language,
    already narrowed to those), with the owner's calendar link where `calendars` has one."""
    by_owner: dict[int, list[Deadline]] = {}
    for deadline in noticed:
        if deadline.owner_id is not None and deadline.owner_id in people:
            by_owner.setdefault(deadline.owner_id, []).append(deadline)
    for warnings in (targets or {}).values():
        for warning in warnings:
            if warning.owner_id is not None and warning.owner_id in people:
                by_owner.setdefault(warning.owner_id, [])
    digests = []
    for owner_id, deadlines in sorted(by_owner.items()):
        owner = people[owner_id]
        lines = [DeadlineLine.of(d, on=on, language=owner.language) for d in deadlines]
        own = [w for w in (targets or {}).get(owner.language, []) if w.owner_id == owner_id]
        digests.append(
            OwnerDigest(
                municipality_id=town.id,
                municipality_name=town.name,
                person_id=owner.id,
                name=owner.name,
                email=owner.email,
                language=owner.language,
                apprise_urls=owner.apprise_urls,
                on=on,
                overdue=[line for line in lines if line.days < 0],
                upcoming=[line for line in lines if line.days >= 0],
                targets=own,
                calendar=calendars.get(owner_id),
            )
        )
    return digests


def coordinator_summary(
    *,
    town: Town,
    on: date,
    deadlines: Sequence[Deadline],
    health: Sequence[MeasureHealth],
    people: dict[int, Recipient],
    owners_told: int,
    language: str,
    terms: DeadlineTerms,
    targets: Sequence[TargetWarning] = (),
) -> CoordinatorSummary:
    """The whole picture: overdue, upcoming and measures not on track, each list capped."""
    lines = [DeadlineLine.of(d, on=on, language=language) for d in deadlines]
    overdue = [line for line in lines if line.days < 0]
    upcoming = [line for line in lines if line.days >= 0]
    at_risk = [
        HealthLine(
            code=item.code,
            title=item.title,
            owner_name=people[item.owner_id].name if item.owner_id in people else "",
            derived=item.assessment.derived,
            reported=item.assessment.reported,
            reasons=item.assessment.reasons,
        )
        for item in health
        if item.assessment.derived is not Health.ON_TRACK
    ]
    return CoordinatorSummary(
        municipality_id=town.id,
        municipality_name=town.name,
        on=on,
        cadence=terms.summary_cadence,
        horizon_days=max(terms.horizons),
        overdue=overdue[:SUMMARY_LIMIT],
        more_overdue=max(0, len(overdue) - SUMMARY_LIMIT),
        upcoming=upcoming[:SUMMARY_LIMIT],
        more_upcoming=max(0, len(upcoming) - SUMMARY_LIMIT),
        at_risk=at_risk[:SUMMARY_LIMIT],
        more_at_risk=max(0, len(at_risk) - SUMMARY_LIMIT),
        targets=list(targets[:SUMMARY_LIMIT]),
        owners_told=owners_told,
        without_owner=sum(1 for d in deadlines if d.owner_id is None),
    )


def summary_messages(
    *,
    town: Town,
    on: date,
    deadlines: Sequence[Deadline],
    health: Sequence[MeasureHealth],
    people: dict[int, Recipient],
    coordinators: Sequence[Recipient],
    owners_told: int,
    terms: DeadlineTerms,
    targets: dict[str, list[TargetWarning]] | None = None,
) -> list[Message]:
    """The summary for each coordinator in their language; none when there is nothing to say."""
    targets = targets or {}
    quiet = all(item.assessment.derived is Health.ON_TRACK for item in health)
    if not deadlines and quiet and not any(targets.values()):
        return []
    messages = []
    for coordinator in coordinators:
        summary = coordinator_summary(
            town=town,
            on=on,
            deadlines=deadlines,
            health=health,
            people=people,
            owners_told=owners_told,
            language=coordinator.language,
            terms=terms,
            targets=targets.get(coordinator.language, []),
        )
        messages.append(
            render_summary(
                summary,
                person_id=coordinator.id,
                email=coordinator.email,
                language=coordinator.language,
                apprise_urls=coordinator.apprise_urls,
            )
        )
    return messages


def plan_deadlines(*, municipality_id: int, on: date, settings: Settings) -> DeadlinePlan:
    """Load a municipality's deadlines, decide who hears of what on this day, render it all."""
    terms = DeadlineTerms.of(settings)
    horizons = terms.horizons
    with session_scope(actor="deadlines") as session:
        row = session.get(Municipality, municipality_id)
        if row is None:
            raise MunicipalityGoneError(f"municipality {municipality_id} vanished")
        town = Town(id=row.id, slug=row.slug, name=row.name)
        deadlines = deadlines_within(
            session=session, municipality_id=town.id, on=on, days=max(horizons)
        )
        noticed = [d for d in deadlines if notice(d, on=on, horizons=horizons) is not None]
        targets, told = warnings_by_language(
            session, municipality_id=town.id, on=on, horizons=horizons
        )
        anything = bool(noticed) or any(told.values())
        due = summary_due(on=on, cadence=terms.summary_cadence, anything_noticed=anything)
        health = measure_health(session=session, municipality_id=town.id, on=on) if due else []
        people = {
            p.id: Recipient.of(p, default_language=settings.language)
            for p in people_of(session=session, municipality_id=town.id)
        }
        coordinators = [
            people[p.id] for p in coordinators_of(session=session, municipality_id=town.id)
        ]
        owners = {d.owner_id for d in noticed if d.owner_id is not None}
        owners |= {w.owner_id for w in told[settings.language] if w.owner_id is not None}
        calendars = live_calendars(
            session, municipality_id=town.id, owner_ids=owners, settings=settings
        )
    digests = owner_digests(
        town=town, on=on, noticed=noticed, people=people, calendars=calendars, targets=told
    )
    messages = [render_digest(digest) for digest in digests]
    if due:
        messages += summary_messages(
            town=town,
            on=on,
            deadlines=deadlines,
            health=health,
            people=people,
            coordinators=coordinators,
            owners_told=len(digests),
            terms=terms,
            targets=targets,
        )
    noticed_uids = {d.uid(town.slug) for d in noticed}
    return DeadlinePlan(
        town=town, on=on, deadlines=deadlines, noticed=noticed_uids, messages=messages
    )
