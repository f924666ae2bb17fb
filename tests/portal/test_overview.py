from __future__ import annotations

import base64
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from models.db import session_scope
from models.settings import get_settings
from portal.app import create_app
from portal.form_reader import form_values
from portal.security import BadTokenLimiter
from tests.builders.status import Asked, ask

PASSWORD = "Stabsstelle-Überblick-2026"


def _basic(password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"koordination:{password}".encode()).decode()
    return {"authorization": f"Basic {encoded}"}


@pytest.fixture
def overview_client(portal_env: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("FAHRPLAN_OVERVIEW_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    return TestClient(create_app(), raise_server_exceptions=False)


def test_without_a_configured_password_there_is_no_overview(client: TestClient) -> None:
    assert client.get("/overview", headers=_basic("anything")).status_code == 404


def test_the_overview_asks_for_the_password(overview_client: TestClient, asked: Asked) -> None:
    for headers in ({}, _basic("wrong"), {"authorization": "Basic !!!"}):
        response = overview_client.get("/overview", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith('Basic realm="Digitalfahrplan"')
        assert "Otto Owner" not in response.text


def test_the_overview_shows_who_answered_and_who_is_late(
    overview_client: TestClient, asked: Asked
) -> None:
    with session_scope() as session:
        ask(session, period_code="2026-Q3", days_earlier=90, email="lena@musterstadt.example")
    values = form_values(overview_client.get(asked.path).text)
    overview_client.post(asked.path, data={**values, "save": "all"})

    current = overview_client.get("/overview", headers=_basic(PASSWORD))
    assert current.status_code == 200
    assert current.headers["cache-control"] == "no-store"
    assert "Rückmeldungen 2026-Q4" in current.text
    assert "Geantwortet: 1 von 1. Überfällig: 0." in current.text
    assert 'href="/overview?period=2026-Q3"' in current.text

    earlier = overview_client.get("/overview?period=2026-Q3", headers=_basic(PASSWORD))
    assert "Geantwortet: 0 von 1. Überfällig: 1." in earlier.text
    assert '<td class="state-late">überfällig</td>' in earlier.text
    assert (
        overview_client.get("/overview?period=1999-Q1", headers=_basic(PASSWORD)).status_code == 404
    )


def test_wrong_passwords_are_slowed_down_like_bad_links(
    portal_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAHRPLAN_OVERVIEW_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    client = TestClient(create_app(limiter=BadTokenLimiter(limit=2)))
    assert [client.get("/overview", headers=_basic("guess")).status_code for _ in range(3)] == [
        401,
        401,
        429,
    ]
    assert client.get("/overview", headers=_basic(PASSWORD)).status_code == 429
