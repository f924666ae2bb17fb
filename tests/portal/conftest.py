"""Fixtures of the portal tests: an owner asked about two measures, the app, a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from models import StatusReport
from models.db import session_scope
from models.municipality import ensure_municipality
from models.settings import get_settings
from portal.app import create_app
from portal.server import running_in_thread
from tests.builders import catalogue
from tests.builders.status import Asked, ask

SECRET_KEY = "k3Jq9vZ2mXr8TfLw5bNc7HdPy4GsAe6U"


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
        catalogue.person(
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module: Playwright keeps an event loop running while it
    is open, and Prefect, finding that loop, would hand later flow calls back as coroutines."""
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
