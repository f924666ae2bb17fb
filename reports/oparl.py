"""Reading a committee's meetings from its council information system through OParl 1.1.

OParl (https://oparl.org) is the open standard API of German council information systems
(ALLRIS, SessionNet, Somacos, …): JSON over HTTP, System → Body → Organization → Meeting. A
committee names its Organization; the Organization's `meeting` is the URL of an external list,
served in pages of `data` with the next page at `links.next`. What is read goes into the cache
of models/meeting.py, so a council system that is down leaves the dates read before in place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import httpx
from pydantic import BaseModel

from models.base import utcnow
from models.db import session_scope
from models.meeting import (
    CouncilMeeting,
    CouncilSource,
    council_sources,
    note_council_failure,
    store_council_meetings,
)

ORGANIZATION_TYPE = "https://schema.oparl.org/1.1/Organization"
MEETING_TYPE = "https://schema.oparl.org/1.1/Meeting"
# A council system that does not answer within these seconds counts as down for this run.
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
# A committee meets a few dozen times a year; a list longer than this many pages is a loop.
MAX_PAGES = 200
NAME_LENGTH = 500


class OparlError(Exception):
    """The council system could not be read; the message names the URL and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def council_client(*, timeout: httpx.Timeout = TIMEOUT) -> httpx.Client:
    """An HTTP client for council systems: JSON, redirects followed, every wait bounded."""
    return httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        headers={"Accept": "application/json", "User-Agent": "Digitalfahrplan (OParl 1.1)"},
    )


def read_meetings(url: str, *, client: httpx.Client, zone: ZoneInfo) -> list[CouncilMeeting]:
    """Every meeting the Organization at this URL lists, cancelled ones included."""
    organization = _json(client, url)
    kind = organization.get("type") if isinstance(organization, dict) else None
    if kind != ORGANIZATION_TYPE:
        shown = f"its type is {kind}" if isinstance(kind, str) else "it has no type"
        raise OparlError(url, f"is not an OParl 1.1 Organization ({shown})")
    meeting_list = organization.get("meeting")
    if not isinstance(meeting_list, str):
        raise OparlError(url, "names no meeting list (`meeting` is not a URL)")
    found = (_meeting(item, zone) for item in _items(client, urljoin(url, meeting_list)))
    return [meeting for meeting in found if meeting is not None]


def _json(client: httpx.Client, url: str) -> Any:
    try:
        response = client.get(url)
    except httpx.TimeoutException:
        raise OparlError(url, "did not answer in time") from None
    except httpx.HTTPError as error:
        raise OparlError(url, f"cannot be reached ({type(error).__name__}: {error})") from None
    if response.status_code != httpx.codes.OK:
        raise OparlError(url, f"answered HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise OparlError(url, "did not answer with valid JSON") from None


def _items(client: httpx.Client, url: str) -> Iterator[Any]:
    """The entries of an external list, page after page."""
    seen: set[str] = set()
    page_url: str | None = url
    while page_url is not None:
        if page_url in seen or len(seen) >= MAX_PAGES:
            raise OparlError(url, f"its pages do not end (stopped at {page_url})")
        seen.add(page_url)
        page = _json(client, page_url)
        data = page.get("data") if isinstance(page, dict) else None
        if not isinstance(data, list):
            raise OparlError(page_url, "is not an OParl list (no `data`)")
        yield from data
        links = page.get("links")
        following = links.get("next") if isinstance(links, dict) else None
        page_url = urljoin(page_url, following) if isinstance(following, str) else None


def _meeting(item: Any, zone: ZoneInfo) -> CouncilMeeting | None:
    """A listed meeting; None for a deleted one or one without a start to place it on a day."""
    if not isinstance(item, dict) or item.get("type") != MEETING_TYPE or item.get("deleted"):
        return None
    starts_at = _instant(item.get("start"), zone)
    if starts_at is None or not isinstance(item.get("id"), str):
        return None
    name = item.get("name")
    return CouncilMeeting(
        oparl_id=item["id"],
        name=name[:NAME_LENGTH] if isinstance(name, str) else "",
        starts_at=starts_at,
        ends_at=_instant(item.get("end"), zone),
        cancelled=item.get("cancelled") is True,
    )


def _instant(value: Any, zone: ZoneInfo) -> datetime | None:
    """An OParl date-time; one without an offset is read as the municipality's local time."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


class CouncilReading(BaseModel):
    """How reading one committee's council system went."""

    committee: str
    url: str
    ok: bool
    meetings: int = 0
    error: str = ""
    # When the dates in use were read: now after a good reading, earlier after a failed one.
    known_since: datetime | None = None

    def note(self, zone: ZoneInfo) -> str:
        """One line for the log, the artifact or the terminal."""
        if self.ok:
            return f"{self.committee}: {self.meetings} meeting(s) read from {self.url}"
        since = (
            f"using the dates read on {self.known_since.astimezone(zone):%Y-%m-%d %H:%M}"
            if self.known_since
            else "nothing read from it yet, using the typed dates"
        )
        return f"{self.committee}: council system not read, {self.error}; {since}"


def refresh_meetings(
    *,
    municipality_id: int,
    zone: ZoneInfo,
    committee_ids: Sequence[int] | None = None,
    timeout: httpx.Timeout = TIMEOUT,
) -> list[CouncilReading]:
    """Read the council system of every committee that names one (or of these) into the cache.

    One committee's council system being down does not stop the others; it is noted and the
    meetings read before stay in use.
    """
    with session_scope(actor="oparl") as session:
        sources = council_sources(
            session=session, municipality_id=municipality_id, committee_ids=committee_ids
        )
    if not sources:
        return []
    with council_client(timeout=timeout) as client:
        return [_refresh(source, client, zone) for source in sources]


def _refresh(source: CouncilSource, client: httpx.Client, zone: ZoneInfo) -> CouncilReading:
    started = utcnow()
    try:
        meetings = read_meetings(source.url, client=client, zone=zone)
    except OparlError as error:
        with session_scope(actor="oparl") as session:
            known_since = note_council_failure(
                session=session,
                committee_id=source.committee_id,
                url=source.url,
                error=str(error),
                failed_at=started,
            )
        return CouncilReading(
            committee=source.committee,
            url=source.url,
            ok=False,
            error=str(error),
            known_since=known_since,
        )
    with session_scope(actor="oparl") as session:
        store_council_meetings(
            session=session,
            committee_id=source.committee_id,
            url=source.url,
            meetings=meetings,
            fetched_at=started,
        )
    return CouncilReading(
        committee=source.committee,
        url=source.url,
        ok=True,
        meetings=len(meetings),
        known_since=started,
    )
