"""Calendar feeds of deadlines (iCalendar, RFC 5545) that owners and coordinators subscribe to.

`GET /ical/{token}.ics` is an owner's feed, reached through their calendar token
(`models.calendar_link`), which stays the same across reminders and periods: unknown or forged
tokens are not found; the feed answers while the owner still owns an open measure, also
between periods, and is gone (410) once they own none. `GET /ical/coordinator/{key}.ics`
shows every municipality's deadlines to whoever knows FAHRPLAN_CALENDAR_KEY. Events are
all-day and their UIDs derive from row ids, so a client that refreshes the feed updates its
events instead of doubling them.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from fastapi import APIRouter, HTTPException, Response
from icalendar import Calendar, Event, Timezone

from models.base import utcnow
from models.calendar_link import person_of_calendar_token
from models.db import session_scope
from models.municipality import Municipality, all_municipalities
from models.roadmap import Deadline, DeadlineKind, describe, open_deadlines
from models.status.requests import latest_request, people_with_live_links
from portal.deps import AppSettings, Gate, SecretKey
from portal.security import expired_link

PRODID = "-//Digitalfahrplan//Fristen//DE"
MEDIA_TYPE = "text/calendar; charset=utf-8"
REFRESH = timedelta(hours=6)
KIND_NAMES = {
    "de": {
        DeadlineKind.MILESTONE: "Meilenstein",
        DeadlineKind.MEASURE_END: "Maßnahmenende",
        DeadlineKind.OZG_SERVICE: "OZG-Leistung",
    },
    "en": {
        DeadlineKind.MILESTONE: "Milestone",
        DeadlineKind.MEASURE_END: "End of measure",
        DeadlineKind.OZG_SERVICE: "OZG service",
    },
}

router = APIRouter(tags=["calendar"])


def _description(deadline: Deadline, language: str) -> str:
    german = language == "de"
    lines = [
        f"{'Maßnahme' if german else 'Measure'} {deadline.measure_code or '–'} "
        f"{deadline.measure_title or ''}".rstrip(),
        f"{'Verantwortlich' if german else 'Owner'}: {deadline.owner_name or '–'}",
    ]
    if deadline.is_legal:
        lines.append("Gesetzliche Frist" if german else "Set by law")
    return "\n".join(lines)


def _event(deadline: Deadline, *, slug: str, language: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", deadline.uid(slug))
    event.add("dtstamp", stamp)
    event.add("dtstart", deadline.due_on)
    event.add("dtend", deadline.due_on + timedelta(days=1))
    event.add("summary", f"{deadline.measure_code or '–'}: {describe(deadline, language)}")
    event.add("description", _description(deadline, language))
    event.add("categories", [KIND_NAMES[language][deadline.kind]])
    # Deadlines do not block anybody's day.
    event.add("transp", "TRANSPARENT")
    return event


def _zone(zone: str, days: Sequence[date]) -> Timezone:
    # Only the years the events fall in, so the feed stays small and identical for the same data.
    first = date(min(days).year, 1, 1)
    last = date(max(days).year + 1, 1, 1)
    return Timezone.from_tzid(zone, first_date=first, last_date=last)


def build_calendar(
    deadlines: Sequence[Deadline],
    *,
    slugs: dict[int, str],
    name: str,
    language: str,
    zone: str,
    stamp: datetime,
) -> bytes:
    """The VCALENDAR of these deadlines: one all-day event each, UIDs from the rows' ids."""
    language = language if language in KIND_NAMES else "de"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    if deadlines:
        calendar.add_component(_zone(zone, [d.due_on for d in deadlines]))
    for deadline in deadlines:
        slug = slugs[deadline.municipality_id]
        calendar.add_component(_event(deadline, slug=slug, language=language, stamp=stamp))
    return bytes(calendar.to_ical())


def _calendar_response(body: bytes) -> Response:
    return Response(
        content=body,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": 'inline; filename="fristen.ics"',
            "Cache-Control": "private, max-age=3600",
        },
    )


@router.get("/ical/coordinator/{key}.ics")
def coordinator_feed(key: str, settings: AppSettings) -> Response:
    """Every municipality's open deadlines, for whoever knows the configured key."""
    configured = settings.calendar_key
    # Compared in constant time so the key cannot be guessed from response times.
    if configured is None or not hmac.compare_digest(
        key.encode(), configured.get_secret_value().encode()
    ):
        raise HTTPException(status_code=404)
    with session_scope(actor="calendar") as session:
        towns = all_municipalities(session=session)
        deadlines = [
            deadline
            for town in towns
            for deadline in open_deadlines(session=session, municipality_id=town.id, until=None)
        ]
        slugs = {town.id: town.slug for town in towns}
        names = ", ".join(town.name for town in towns)
    title = f"Fristen {names}" if settings.language == "de" else f"Deadlines {names}"
    body = build_calendar(
        deadlines,
        slugs=slugs,
        name=title,
        language=settings.language,
        zone=settings.timezone,
        stamp=utcnow(),
    )
    return _calendar_response(body)


@router.get("/ical/{token}.ics")
def owner_feed(token: str, gate: Gate, secret: SecretKey, settings: AppSettings) -> Response:
    """The open deadlines of the owner this calendar token was made for (module docstring)."""
    person_id = person_of_calendar_token(secret, token)
    if person_id is None:
        # Guessing feed links counts against the client like guessing form links.
        gate.limiter.record_failure(gate.address)
        raise HTTPException(status_code=404)
    with session_scope(actor="calendar") as session:
        request = latest_request(session=session, person_id=person_id)
        if request is None:
            # A genuine token of someone never asked (or since removed): no link was ever given.
            raise HTTPException(status_code=404)
        town = session.get_one(Municipality, request.person.municipality_id)
        if person_id not in people_with_live_links(session=session, municipality_id=town.id):
            raise expired_link(session=session, status_request=request)
        deadlines = open_deadlines(
            session=session, municipality_id=town.id, until=None, owner_id=person_id
        )
        language, slug, town_name = request.person.language, town.slug, town.name
    title = f"Meine Fristen – {town_name}" if language == "de" else f"My deadlines – {town_name}"
    body = build_calendar(
        deadlines,
        slugs={town.id: slug},
        name=title,
        language=language,
        zone=settings.timezone,
        stamp=utcnow(),
    )
    return _calendar_response(body)
