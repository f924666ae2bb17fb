"""Fixtures of the portal tests: an owner asked about two measures, the app, a client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.orm import Session

from models import ReportingPeriod, StatusReport, StatusRequest, StatusRequestItem
from models.db import session_scope
from models.municipality import ensure_municipality
from models.settings import get_settings
from models.status.answers import new_token
from models.status.tables import period_by_code
from portal.app import create_app
from portal.server import running_in_thread
from tests import factories

SECRET_KEY = "k3Jq9vZ2mXr8TfLw5bNc7HdPy4GsAe6U"
OWNER_EMAIL = "otto.owner@musterstadt.example"


@dataclass(frozen=True)
class Asked:
    """An owner's open request: its link token and the ids the tests need."""

    token: str
    request_id: int
    measure_ids: list[int]
    milestone_id: int
    foreign_measure_id: int
    owner_email: str

    @property
    def path(self) -> str:
        return f"/s/{self.token}"

    @property
    def api_path(self) -> str:
        return f"/api/v1/status/{self.token}"


def ask(
    session: Session,
    *,
    language: str = "de",
    period_code: str = "2026-Q4",
    closes_on: date | None = None,
    expires_at: datetime | None = None,
    email: str = OWNER_EMAIL,
    days_earlier: int = 0,
) -> Asked:
    """An owner asked about two measures (the first with a milestone), plus someone else's.

    A second call with the same period code asks another owner in the same period;
    `days_earlier` moves the period back (the link stays open).
    """
    today = datetime.now(UTC).date() - timedelta(days=days_earlier)
    town = ensure_municipality(session=session, slug="default", name="Musterstadt")
    owner = factories.person(session, town, name="Otto Owner", email=email, language=language)
    other = factories.person(session, town, name="Olga Other")
    measures = [factories.measure(session, town, owner_id=owner.id) for _ in range(2)]
    milestone = factories.milestone(session, measures[0], today + timedelta(days=20))
    foreign = factories.measure(session, town, owner_id=other.id)
    period = period_by_code(session=session, municipality_id=town.id, code=period_code)
    period = period or ReportingPeriod(
        municipality_id=town.id,
        code=period_code,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=5),
        due_on=today + timedelta(days=14),
        closes_on=closes_on or today + timedelta(days=30 + days_earlier),
    )
    session.add(period)
    session.flush()
    token, token_hash = new_token()
    request = StatusRequest(
        period_id=period.id,
        person_id=owner.id,
        token_hash=token_hash,
        expires_at=expires_at or datetime.now(UTC) + timedelta(days=30),
        items=[StatusRequestItem(measure_id=m.id) for m in measures],
    )
    session.add(request)
    session.flush()
    return Asked(
        token=token,
        request_id=request.id,
        measure_ids=[m.id for m in measures],
        milestone_id=milestone.id,
        foreign_measure_id=foreign.id,
        owner_email=email,
    )


def history(measure_id: int | None = None) -> list[StatusReport]:
    """The recorded answers, oldest first (of one measure, or all)."""
    query = sa.select(StatusReport).order_by(StatusReport.id)
    if measure_id is not None:
        query = query.where(StatusReport.measure_id == measure_id)
    with session_scope() as session:
        return list(session.scalars(query))


@pytest.fixture
def portal_env(settings_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test database and folders, plus a configured secret key."""
    monkeypatch.setenv("FAHRPLAN_SECRET_KEY", SECRET_KEY)
    get_settings.cache_clear()
    return settings_env


@pytest.fixture
def coordinator(portal_env: Path) -> tuple[str, str]:
    """The municipality's coordinator: name and e-mail."""
    with session_scope() as session:
        town = ensure_municipality(session=session, slug="default", name="Musterstadt")
        factories.person(
            session,
            town,
            name="Clara Koordination",
            email="clara@musterstadt.example",
            is_coordinator=True,
        )
    return "Clara Koordination", "clara@musterstadt.example"


@pytest.fixture
def asked(portal_env: Path) -> Asked:
    """An owner's open request in the current period."""
    with session_scope() as session:
        return ask(session)


@pytest.fixture
def client(portal_env: Path) -> Iterator[TestClient]:
    """A client of a fresh app; server errors come back as responses, as a browser sees them."""
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


CHROMIUM = "/usr/bin/chromium"
# What Debian's Chromium needs as root in a closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def served(portal_env: Path) -> Iterator[str]:
    """The portal served by uvicorn on a free loopback port; yields its base URL."""
    with running_in_thread(create_app()) as base_url:
        yield base_url


@pytest.fixture
def page(browser: Browser, served: str) -> Iterator[Page]:
    """A fresh browser tab on the served portal."""
    context = browser.new_context(base_url=served, locale="de-DE")
    yield context.new_page()
    context.close()
