"""A small town for status-cycle tests: a coordinator, a deputy, three owners, one in English."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from flows.common import Outcome, run_instant
from flows.status import asking
from models.db import session_scope
from models.enums import MeasureStatus
from models.settings import get_settings
from models.status.tables import period_code_of
from notify import Channel
from tests.builders import catalogue


class Town(BaseModel):
    municipality_id: int
    coordinator: str
    deputy: str
    owners: list[str]
    measure_codes: dict[str, list[str]]


def build_town(session: Session, *, webhook: str | None = None) -> Town:
    town = catalogue.municipality(session)
    coordinator = catalogue.person(
        session, town, name="Clara Koordination", email="clara@example.org", is_coordinator=True
    )
    deputy = catalogue.person(session, town, name="Dieter Vertretung", email="dieter@example.org")
    anna = catalogue.person(
        session, town, name="Anna <b>Amt</b>", email="anna@example.org", deputy_id=deputy.id
    )
    ben = catalogue.person(
        session,
        town,
        name="Ben Baker",
        email="ben@example.org",
        language="en",
        apprise_urls=[webhook] if webhook else [],
    )
    cem = catalogue.person(
        session, town, name="Cem Cetin", email="cem@example.org", deputy_id=deputy.id
    )
    codes: dict[str, list[str]] = {}
    for owner, titles in [
        (anna, ["E-Akte <script>alert(1)</script>", "WLAN in Schulen"]),
        (ben, ["Open Data portal"]),
        (cem, ["Bürgerportal", "Digitale Sitzungen", "Glasfaser"]),
    ]:
        codes[owner.email] = [
            catalogue.measure(session, town, owner_id=owner.id, title=title).code
            for title in titles
        ]
    catalogue.measure(session, town, owner_id=cem.id, status=MeasureStatus.DONE)
    return Town(
        municipality_id=town.id,
        coordinator=coordinator.email,
        deputy=deputy.email,
        owners=[anna.email, ben.email, cem.email],
        measure_codes=codes,
    )


def asked_town(on: date, *, channel: Channel | None = None) -> tuple[Town, Outcome]:
    """The town built, and its owners asked on this day for the quarter of the day, as the
    status-request flow asks them."""
    with session_scope() as session:
        town = build_town(session)
    at = run_instant(on, get_settings().zone)
    period_id = asking.prepare_requests(
        municipality_id=town.municipality_id, period_code=period_code_of(on), at=at
    )
    return town, asking.send_requests(period_id=period_id, at=at, channel=channel)
