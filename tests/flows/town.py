"""A small town for gathering tests: a coordinator, a deputy, three owners, one of them English."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.enums import MeasureStatus
from tests import factories


class Town(BaseModel):
    municipality_id: int
    coordinator: str
    deputy: str
    owners: list[str]
    measure_codes: dict[str, list[str]]


def build_town(session: Session, *, webhook: str | None = None) -> Town:
    town = factories.municipality(session)
    coordinator = factories.person(
        session, town, name="Clara Koordination", email="clara@example.org", is_coordinator=True
    )
    deputy = factories.person(session, town, name="Dieter Vertretung", email="dieter@example.org")
    anna = factories.person(
        session, town, name="Anna <b>Amt</b>", email="anna@example.org", deputy_id=deputy.id
    )
    ben = factories.person(
        session,
        town,
        name="Ben Baker",
        email="ben@example.org",
        language="en",
        apprise_urls=[webhook] if webhook else [],
    )
    cem = factories.person(
        session, town, name="Cem Cetin", email="cem@example.org", deputy_id=deputy.id
    )
    codes: dict[str, list[str]] = {}
    for owner, titles in [
        (anna, ["E-Akte <script>alert(1)</script>", "WLAN in Schulen"]),
        (ben, ["Open Data portal"]),
        (cem, ["Bürgerportal", "Digitale Sitzungen", "Glasfaser"]),
    ]:
        codes[owner.email] = [
            factories.measure(session, town, owner_id=owner.id, title=title).code
            for title in titles
        ]
    factories.measure(session, town, owner_id=cem.id, status=MeasureStatus.DONE)
    return Town(
        municipality_id=town.id,
        coordinator=coordinator.email,
        deputy=deputy.email,
        owners=[anna.email, ben.email, cem.email],
        measure_codes=codes,
    )
