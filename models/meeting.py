"""A committee's meeting dates: typed into the catalogue, and read from the council information
system (OParl) into a cache, so that a council system that is down never stops a report.

The two are merged into one schedule. Once the council system has been read it speaks for
everything up to its last listed meeting: typed dates until then are left out, so a meeting
it moved is moved and one it cancelled is dropped. Typed dates after its last listed meeting
are added, for the meetings the council office has not published yet.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, selectinload

from models.base import Base
from models.errors import MissingRecordError
from models.person import Committee, committees_of

EARLIEST = datetime.min.replace(tzinfo=UTC)


class MeetingSource(enum.StrEnum):
    """Where a meeting date comes from."""

    OPARL = "oparl"
    TYPED = "typed"


class OparlReading(Base):
    """The last reading of a committee's council system: when it worked, when it failed, why."""

    __tablename__ = "oparl_reading"

    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committee.id", ondelete="CASCADE"), primary_key=True
    )
    # The URL read; when the catalogue names another one, what was read from this one is void.
    url: Mapped[str] = mapped_column(String(2000))
    fetched_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")


class OparlMeeting(Base):
    """One meeting of a committee as its council system listed it at the last good reading."""

    __tablename__ = "oparl_meeting"
    __table_args__ = (UniqueConstraint("committee_id", "oparl_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"))
    oparl_id: Mapped[str] = mapped_column(String(2000))
    name: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    cancelled: Mapped[bool] = mapped_column(default=False)
    fetched_at: Mapped[datetime]


class CouncilMeeting(BaseModel):
    """A meeting as read from the council system."""

    model_config = ConfigDict(frozen=True)

    oparl_id: str
    name: str = ""
    starts_at: datetime
    ends_at: datetime | None = None
    cancelled: bool = False


class ScheduledMeeting(BaseModel):
    """One meeting of a committee's merged schedule, on its local day."""

    model_config = ConfigDict(frozen=True)

    meets_on: date
    source: MeetingSource
    name: str = ""
    starts_at: datetime | None = None


class CommitteeSchedule(BaseModel):
    """A committee's meetings, merged from both sources, and how fresh the council's dates are."""

    committee_id: int
    committee: str
    oparl_url: str | None = None
    # The last good reading of the council system; None when it was never read.
    fetched_at: datetime | None = None
    # Why the last attempt to read it failed, when that attempt came after the last good one.
    error: str = ""
    meetings: list[ScheduledMeeting] = []
    cancelled: list[ScheduledMeeting] = []

    @property
    def days(self) -> list[date]:
        """Every day the committee meets."""
        return [meeting.meets_on for meeting in self.meetings]


def merge_meetings(
    *, typed: Sequence[date], council: Sequence[CouncilMeeting], zone: ZoneInfo
) -> tuple[list[ScheduledMeeting], list[ScheduledMeeting]]:
    """The schedule (held meetings by day) and the cancelled meetings (see the module docstring)."""
    read = [
        (
            meeting.cancelled,
            ScheduledMeeting(
                meets_on=meeting.starts_at.astimezone(zone).date(),
                source=MeetingSource.OPARL,
                name=meeting.name,
                starts_at=meeting.starts_at,
            ),
        )
        for meeting in council
    ]
    last_listed = max((scheduled.meets_on for _, scheduled in read), default=date.min)
    typed_kept = [
        ScheduledMeeting(meets_on=day, source=MeetingSource.TYPED)
        for day in typed
        if day > last_listed
    ]
    held = [scheduled for cancelled, scheduled in read if not cancelled] + typed_kept
    cancelled = [scheduled for is_cancelled, scheduled in read if is_cancelled]
    return _in_order(held), _in_order(cancelled)


def _in_order(meetings: list[ScheduledMeeting]) -> list[ScheduledMeeting]:
    return sorted(meetings, key=lambda m: (m.meets_on, m.starts_at or EARLIEST))


def committee_schedules(
    *, session: Session, municipality_id: int, zone: ZoneInfo
) -> list[CommitteeSchedule]:
    """Every committee of the municipality with its merged schedule, by name."""
    committees = list(
        session.scalars(
            select(Committee)
            .where(Committee.municipality_id == municipality_id)
            .options(selectinload(Committee.meetings))
            .order_by(Committee.name)
        )
    )
    ids = [committee.id for committee in committees]
    readings = {
        reading.committee_id: reading
        for reading in session.scalars(
            select(OparlReading).where(OparlReading.committee_id.in_(ids))
        )
    }
    read: dict[int, list[OparlMeeting]] = {}
    for meeting in session.scalars(select(OparlMeeting).where(OparlMeeting.committee_id.in_(ids))):
        read.setdefault(meeting.committee_id, []).append(meeting)
    return [
        _schedule(committee, readings.get(committee.id), read.get(committee.id, []), zone)
        for committee in committees
    ]


def _schedule(
    committee: Committee,
    reading: OparlReading | None,
    read: list[OparlMeeting],
    zone: ZoneInfo,
) -> CommitteeSchedule:
    # A reading of another URL than the catalogue names now says nothing about this committee.
    current = reading if reading is not None and reading.url == committee.oparl_url else None
    council = [
        CouncilMeeting(
            oparl_id=m.oparl_id,
            name=m.name,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            cancelled=m.cancelled,
        )
        for m in (read if current is not None else [])
    ]
    typed = [meeting.meets_on for meeting in committee.meetings]
    held, cancelled = merge_meetings(typed=typed, council=council, zone=zone)
    return CommitteeSchedule(
        committee_id=committee.id,
        committee=committee.name,
        oparl_url=committee.oparl_url,
        fetched_at=current.fetched_at if current else None,
        error=_open_error(current),
        meetings=held,
        cancelled=cancelled,
    )


def _open_error(reading: OparlReading | None) -> str:
    """The last failure, unless a good reading came after it."""
    if reading is None or reading.failed_at is None:
        return ""
    if reading.fetched_at is not None and reading.fetched_at >= reading.failed_at:
        return ""
    return reading.error


class CouncilSource(BaseModel):
    """A committee that names its council system, to be read."""

    committee_id: int
    committee: str
    municipality_id: int
    url: str


def council_sources(
    *, session: Session, municipality_id: int, committee_ids: Sequence[int] | None = None
) -> list[CouncilSource]:
    """The municipality's committees that name an OParl organization (all, or these)."""
    return [
        CouncilSource(
            committee_id=committee.id,
            committee=committee.name,
            municipality_id=committee.municipality_id,
            url=committee.oparl_url,
        )
        for committee in committees_of(session=session, municipality_id=municipality_id)
        if committee.oparl_url and (committee_ids is None or committee.id in committee_ids)
    ]


def _locked_reading(*, session: Session, committee_id: int, url: str) -> OparlReading:
    """The committee's reading row, created when missing and locked until the transaction ends,
    so that two runs reading the same council system at once store one after the other."""
    values = {"committee_id": committee_id, "url": url, "error": ""}
    # Setting a column to itself changes nothing but takes the row's lock.
    unchanged = {"error": OparlReading.error}
    if session.get_bind().dialect.name == "postgresql":
        upsert = postgresql_insert(OparlReading).values(values)
        session.execute(
            upsert.on_conflict_do_update(index_elements=["committee_id"], set_=unchanged)
        )
    else:
        upsert_ = sqlite_insert(OparlReading).values(values)
        session.execute(
            upsert_.on_conflict_do_update(index_elements=["committee_id"], set_=unchanged)
        )
    reading = session.get(OparlReading, committee_id, populate_existing=True)
    if reading is None:
        raise MissingRecordError(f"the council reading of committee {committee_id} vanished")
    if reading.url != url:
        # The catalogue names another council system now: what the old one said is void.
        session.execute(delete(OparlMeeting).where(OparlMeeting.committee_id == committee_id))
        reading.url, reading.fetched_at, reading.failed_at, reading.error = url, None, None, ""
    return reading


def store_council_meetings(
    *,
    session: Session,
    committee_id: int,
    url: str,
    meetings: Sequence[CouncilMeeting],
    fetched_at: datetime,
) -> bool:
    """Keep what a good reading found in place of the earlier one; False when a newer reading
    was stored meanwhile and this one is dropped."""
    reading = _locked_reading(session=session, committee_id=committee_id, url=url)
    if reading.fetched_at is not None and reading.fetched_at > fetched_at:
        return False
    session.execute(delete(OparlMeeting).where(OparlMeeting.committee_id == committee_id))
    # A list that changed while it was paged through may name a meeting twice.
    unique = {meeting.oparl_id: meeting for meeting in meetings}
    session.add_all(
        OparlMeeting(committee_id=committee_id, fetched_at=fetched_at, **meeting.model_dump())
        for meeting in unique.values()
    )
    reading.fetched_at = fetched_at
    session.flush()
    return True


def note_council_failure(
    *, session: Session, committee_id: int, url: str, error: str, failed_at: datetime
) -> datetime | None:
    """Remember why reading the council system failed; the meetings read before stay.

    Returns when those were read (None: never).
    """
    reading = _locked_reading(session=session, committee_id=committee_id, url=url)
    if reading.failed_at is None or reading.failed_at <= failed_at:
        reading.failed_at, reading.error = failed_at, error
    session.flush()
    return reading.fetched_at
