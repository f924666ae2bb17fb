"""The coordinator's overview: per period, who answered and who is late.

Behind HTTP Basic with `FAHRPLAN_OVERVIEW_PASSWORD` (any user name); without that setting the
page does not exist (404). Wrong passwords count like bad links towards the slow-down.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.base import utcnow
from models.calendar import local_day
from models.db import session_scope
from models.municipality import municipality_by_slug
from models.status.owner_requests import periods_of, requests_of_period
from models.status.tables import ReportingPeriod, StatusRequest
from portal.deps import AppSettings, Gate, root_path
from portal.texts import texts
from templating import render

router = APIRouter(include_in_schema=False)
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Digitalfahrplan", charset="UTF-8"'}


class OwnerRow(BaseModel):
    """One person asked in the period."""

    name: str
    org_unit: str
    asked: int
    answered: int
    answered_at: datetime | None
    reminders: int
    state: Literal["answered", "open", "late"]


class PeriodOverview(BaseModel):
    """Everyone asked in one period, and the other periods to look at."""

    code: str
    due_on: date
    closes_on: date
    rows: list[OwnerRow]
    other_periods: list[str]

    def count(self, state: str) -> int:
        """How many people are in this state."""
        return sum(1 for row in self.rows if row.state == state)


def _password(request: Request) -> str | None:
    """The password of an HTTP Basic header (UTF-8), or None when there is none."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2]


def coordinator(request: Request, gate: Gate, settings: AppSettings) -> None:
    """Let in whoever knows the overview password; 404 when no password is configured."""
    configured = settings.overview_password
    if configured is None:
        raise HTTPException(404)
    given = _password(request)
    expected = configured.get_secret_value().encode()
    if given is None or not hmac.compare_digest(given.encode(), expected):
        if given is not None:
            gate.limiter.record_failure(gate.address)
        raise HTTPException(401, "sign-in required", headers=CHALLENGE)


def _row(status_request: StatusRequest, today: date, due_on: date) -> OwnerRow:
    answered = sum(1 for item in status_request.items if item.answered_at is not None)
    if status_request.answered_at is not None:
        state: Literal["answered", "open", "late"] = "answered"
    else:
        state = "late" if today > due_on else "open"
    return OwnerRow(
        name=status_request.person.name,
        org_unit=status_request.person.org_unit,
        asked=len(status_request.items),
        answered=answered,
        answered_at=status_request.answered_at,
        reminders=status_request.reminder_count,
        state=state,
    )


def period_overview(
    *, session: Session, municipality: str, code: str | None, today: date
) -> PeriodOverview | None:
    """The overview of the period with this code (the latest when None); None when none."""
    town = municipality_by_slug(session=session, slug=municipality)
    periods = periods_of(session=session, municipality_id=town.id) if town else []
    chosen: ReportingPeriod | None = next(
        (p for p in periods if code is None or p.code == code), None
    )
    if chosen is None:
        if code is not None:
            raise HTTPException(404)
        return None
    requests = requests_of_period(session=session, period_id=chosen.id)
    return PeriodOverview(
        code=chosen.code,
        due_on=chosen.due_on,
        closes_on=chosen.closes_on,
        rows=[_row(r, today, chosen.due_on) for r in requests],
        other_periods=[p.code for p in periods if p.id != chosen.id],
    )


@router.get("/overview", dependencies=[Depends(coordinator)])
def show_overview(
    request: Request, settings: AppSettings, period: str | None = None
) -> HTMLResponse:
    """Who answered and who is late in a period."""
    today = local_day(utcnow(), settings.zone)
    with session_scope(actor="portal overview") as session:
        overview = period_overview(
            session=session, municipality=settings.municipality, code=period, today=today
        )
    t = texts(settings.language)
    title = t["overview_title"].format(period=overview.code if overview else "")
    html = render(
        "portal/overview.html",
        lang=settings.language,
        zone=settings.zone,
        t=t,
        root=root_path(request.scope),
        title=title,
        overview=overview,
    )
    return HTMLResponse(html)
