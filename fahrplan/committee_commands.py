"""`fahrplan committee meetings`: each committee's next meetings and where their dates come from."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, RootModel

from fahrplan.deadline_commands import day_or_today
from models.db import session_scope
from models.meeting import CommitteeSchedule, MeetingSource, ScheduledMeeting, committee_schedules
from models.municipality import all_municipalities
from models.settings import get_settings
from reports.oparl import refresh_meetings


class ListedMeeting(BaseModel):
    """A meeting as the command shows it."""

    date: date
    start: datetime | None
    name: str
    source: MeetingSource


class ListedCommittee(BaseModel):
    """A committee with its meetings from the given day on."""

    municipality: str
    municipality_name: str
    committee: str
    oparl_url: str | None
    fetched_at: datetime | None
    error: str
    meetings: list[ListedMeeting]
    cancelled: list[ListedMeeting]


Listing = RootModel[list[ListedCommittee]]


def committee_meetings(*, refresh: bool, as_json: bool, on: str | None) -> tuple[str, list[str]]:
    """The listing (text or JSON) and, after a refresh, a warning per council system not read."""
    zone = get_settings().zone
    day = day_or_today(on)
    with session_scope(actor="fahrplan committee") as session:
        towns = [(town.id, town.slug, town.name) for town in all_municipalities(session=session)]
    warnings = []
    if refresh:
        for town_id, _, _ in towns:
            readings = refresh_meetings(municipality_id=town_id, zone=zone)
            warnings += [reading.note(zone) for reading in readings if not reading.ok]
    with session_scope(actor="fahrplan committee") as session:
        listed = [
            _listed(schedule, slug, name, day, zone)
            for town_id, slug, name in towns
            for schedule in committee_schedules(session=session, municipality_id=town_id, zone=zone)
        ]
    if as_json:
        return Listing(listed).model_dump_json(indent=2), warnings
    return _text(listed, zone), warnings


def _listed(
    schedule: CommitteeSchedule, slug: str, name: str, day: date, zone: ZoneInfo
) -> ListedCommittee:
    def ahead(meetings: list[ScheduledMeeting]) -> list[ListedMeeting]:
        return [
            ListedMeeting(
                date=m.meets_on,
                start=m.starts_at.astimezone(zone) if m.starts_at else None,
                name=m.name,
                source=m.source,
            )
            for m in meetings
            if m.meets_on >= day
        ]

    return ListedCommittee(
        municipality=slug,
        municipality_name=name,
        committee=schedule.committee,
        oparl_url=schedule.oparl_url,
        fetched_at=schedule.fetched_at,
        error=schedule.error,
        meetings=ahead(schedule.meetings),
        cancelled=ahead(schedule.cancelled),
    )


def _text(listed: list[ListedCommittee], zone: ZoneInfo) -> str:
    lines: list[str] = []
    town = None
    for committee in listed:
        if committee.municipality != town:
            town = committee.municipality
            lines.append(committee.municipality_name)
        lines.append(f"  {committee.committee}: {_source(committee, zone)}")
        lines += [f"    {_meeting(m, zone)}" for m in committee.meetings]
        lines += [f"    cancelled: {_meeting(m, zone)}" for m in committee.cancelled]
        if not committee.meetings:
            lines.append("    no meetings ahead")
    return "\n".join(lines) if lines else "no committees"


def _source(committee: ListedCommittee, zone: ZoneInfo) -> str:
    if committee.oparl_url is None:
        return "typed dates only"
    if committee.fetched_at is None:
        read = "not read yet"
    else:
        read = f"read {committee.fetched_at.astimezone(zone):%Y-%m-%d %H:%M}"
    failed = f"; the last reading failed: {committee.error}" if committee.error else ""
    return f"OParl {committee.oparl_url}, {read}{failed}"


def _meeting(meeting: ListedMeeting, zone: ZoneInfo) -> str:
    time = f"{meeting.start.astimezone(zone):%H:%M}" if meeting.start else "     "
    label = "OParl" if meeting.source is MeetingSource.OPARL else "typed"
    return f"{meeting.date.isoformat()} {time}  {label}  {meeting.name}".rstrip()
