from __future__ import annotations

import hmac
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from models.db import reset_engine, session_scope
from models.settings import get_settings
from models.status.answers import hash_token, new_token
from portal.app import create_app
from portal.form_reader import form_values
from portal.security import BadTokenLimiter
from tests.builders.status import Asked, ask
from tests.portal.conftest import history


def _post_all(client: TestClient, asked: Asked, **changes: str) -> httpx.Response:
    values = form_values(client.get(asked.path).text)
    values.update(changes, save="all")
    response: httpx.Response = client.post(asked.path, data=values)
    return response


def _assert_security_headers(response: httpx.Response, *, token_page: bool = True) -> None:
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    if token_page:
        assert response.headers["cache-control"] == "no-store"


def test_every_response_carries_the_security_headers(client: TestClient, asked: Asked) -> None:
    page = client.get(asked.path)
    assert "<script" not in page.text and "style=" not in page.text
    assert '<link rel="stylesheet" href="/static/portal.css">' in page.text
    stylesheet = client.get("/static/portal.css")
    assert stylesheet.status_code == 200 and stylesheet.headers["content-type"].startswith(
        "text/css"
    )
    for response in (
        page,
        client.post(asked.path, data={"save": "all"}),
        client.get(asked.api_path),
        client.get("/s/" + "x" * 43),
        client.get("/no/such/page"),
    ):
        _assert_security_headers(response)
    _assert_security_headers(stylesheet, token_page=False)


@pytest.mark.parametrize("csrf", [None, "", "0" * 64, "forged"])
def test_a_post_without_the_right_csrf_token_is_refused_and_stores_nothing(
    client: TestClient, asked: Asked, csrf: str | None
) -> None:
    values = form_values(client.get(asked.path).text)
    values.update(save="all")
    if csrf is None:
        del values["csrf"]
    else:
        values["csrf"] = csrf
    response = client.post(asked.path, data=values)
    assert response.status_code == 403
    assert "nicht angenommen" in response.text
    assert history() == []


def test_the_csrf_token_of_another_owner_does_not_fit(client: TestClient, asked: Asked) -> None:
    with session_scope() as session:
        other = ask(session, email="someone.else@musterstadt.example")
    values = form_values(client.get(asked.path).text)
    values.update(save="all", csrf=form_values(client.get(other.path).text)["csrf"])
    assert client.post(asked.path, data=values).status_code == 403
    assert history() == []


def test_a_measure_that_is_not_on_the_request_gives_404_and_stores_nothing(
    client: TestClient, asked: Asked
) -> None:
    values = form_values(client.get(asked.path).text)
    foreign = asked.foreign_measure_id
    values.update({f"m{foreign}-status": "done", f"m{foreign}-progress": "100"})
    for save in (str(foreign), "99999999", "not-a-number"):
        response = client.post(asked.path, data={**values, "save": save})
        assert response.status_code == 404
    api = client.post(
        asked.api_path,
        json={"answers": [{"measure_id": foreign, "status": "done", "progress": 100}]},
    )
    assert api.status_code == 404
    assert history() == []


@pytest.mark.parametrize("why", ["link expired", "period closed"])
def test_an_expired_link_says_whom_to_contact_with_410(
    client: TestClient, coordinator: tuple[str, str], why: str
) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with session_scope() as session:
        if why == "link expired":
            asked = ask(session, expires_at=yesterday)
        else:
            asked = ask(session, closes_on=yesterday.date() - timedelta(days=1))
    name, email = coordinator
    page = client.get(asked.path)
    assert page.status_code == 410
    assert "nicht mehr gültig" in page.text and name in page.text
    assert f'href="mailto:{email}"' in page.text
    posted = client.post(asked.path, data={"save": "all"})
    assert posted.status_code == 410
    answer = {"measure_id": asked.measure_ids[0], "status": "done", "progress": 100}
    api = client.post(asked.api_path, json={"answers": [answer]})
    assert api.status_code == client.get(asked.api_path).status_code == 410
    assert api.json()["contacts"] == [{"name": name, "email": email}]
    assert history() == []


def test_an_unknown_token_gives_the_plain_404_page(client: TestClient, asked: Asked) -> None:
    well_formed, _ = new_token()
    unknown = client.get(f"/s/{well_formed}")
    nonsense = client.get("/s/%3Cscript%3E")
    no_page = client.get("/no/such/page")
    assert unknown.status_code == nonsense.status_code == no_page.status_code == 404
    assert unknown.text == nonsense.text == no_page.text
    assert client.get(f"/api/v1/status/{well_formed}").json() == {"detail": "not found"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_repeated_bad_tokens_from_one_address_are_slowed_down(
    portal_env: Path, asked: Asked
) -> None:
    clock = FakeClock()
    app = create_app(limiter=BadTokenLimiter(limit=3, window_seconds=60, clock=clock))
    guesser = TestClient(app, client=("203.0.113.7", 40000))
    neighbour = TestClient(app, client=("203.0.113.8", 40000))
    for _ in range(3):
        assert guesser.get(f"/s/{new_token()[0]}").status_code == 404
    refused = guesser.get(f"/s/{new_token()[0]}")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert guesser.get(asked.path).status_code == 429
    assert guesser.get(asked.api_path).status_code == 429
    assert neighbour.get(asked.path).status_code == 200
    clock.now += 61
    assert guesser.get(asked.path).status_code == 200


def test_text_beyond_the_limit_is_refused_and_stores_nothing(
    client: TestClient, asked: Asked
) -> None:
    first, _ = asked.measure_ids
    too_long = _post_all(client, asked, **{f"m{first}-achieved": "ä" * 4001})
    assert too_long.status_code == 422 and "höchstens 4000 Zeichen" in too_long.text
    api = client.post(
        asked.api_path,
        json={
            "answers": [{"measure_id": first, "status": "done", "progress": 1, "risks": "r" * 4001}]
        },
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["body", "answers", 0, "risks"]
    assert history() == []
    # Line breaks arrive as CRLF and count once, so a text of exactly the limit fits.
    at_limit = _post_all(client, asked, **{f"m{first}-achieved": "a\r\n" * 2000})
    assert at_limit.status_code == 200
    assert len(history(first)[0].achieved) == 3999


def test_a_body_beyond_the_size_limit_is_refused_before_it_is_read(
    client: TestClient, asked: Asked
) -> None:
    values = form_values(client.get(asked.path).text)
    values.update({f"m{asked.measure_ids[0]}-risks": "r" * (3 * 1024 * 1024), "save": "all"})
    response = client.post(asked.path, data=values)
    assert response.status_code == 413
    _assert_security_headers(response)

    def streamed() -> Iterator[bytes]:
        yield b"answers="
        for _ in range(3):
            yield b"x" * (1024 * 1024)

    chunked = client.post(
        asked.path,
        content=streamed(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert chunked.status_code == 413
    assert history() == []


@pytest.fixture
def broken_database(portal_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same kind of database, but one the app cannot use."""
    if database_url.startswith("sqlite"):
        broken = f"sqlite:///{portal_env / 'empty.sqlite3'}"
    else:
        broken = database_url.rsplit("/", 1)[0] + "/no_such_database_for_portal"
    monkeypatch.setenv("FAHRPLAN_DATABASE_URL", broken)
    get_settings.cache_clear()
    reset_engine()


def test_an_internal_error_shows_a_plain_page_without_a_trace(
    broken_database: None, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    token, _ = new_token()
    page = client.get(f"/s/{token}")
    assert "portal request failed: GET /s/***" in caplog.text
    assert token not in caplog.text
    assert page.status_code == 500
    assert "Es ist ein Fehler aufgetreten" in page.text
    for leak in ("Traceback", "sqlalchemy", "sqlite", "psycopg", "Error:", 'File "'):
        assert leak not in page.text
    _assert_security_headers(page)
    api = client.get(f"/api/v1/status/{token}")
    assert api.status_code == 500
    assert api.json() == {"detail": "internal server error"}


def test_tokens_are_compared_in_constant_time(
    client: TestClient, asked: Asked, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[object, object]] = []
    real = hmac.compare_digest

    def recording_compare(a, b):  # type: ignore[no-untyped-def]
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording_compare)
    assert client.get(asked.path).status_code == 200
    assert (hash_token(asked.token), hash_token(asked.token)) in compared
    compared.clear()
    _post_all(client, asked)
    assert any(isinstance(a, bytes) and len(a) == 64 for a, _ in compared), "CSRF compared"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_embedded_default_generates_its_secret_key_once(settings_env: Path) -> None:
    with session_scope() as session:
        asked = ask(session)
    csrf = form_values(TestClient(create_app()).get(asked.path).text)["csrf"]
    key_file = settings_env / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    # A restarted app signs with the same key, so an open form still submits.
    assert form_values(TestClient(create_app()).get(asked.path).text)["csrf"] == csrf
