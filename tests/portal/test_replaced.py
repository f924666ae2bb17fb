"""A link that was renewed: the old one says so, names the coordinators, costs no guess, and a
form sent with it keeps what was typed."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from models import StatusRequest
from models.db import session_scope
from models.settings import get_settings, secret_key_bytes
from models.status.links import renew_link
from portal.form_reader import form_values
from portal.security import BAD_TOKEN_LIMIT
from tests.builders.status import Asked, ask
from tests.portal.conftest import history

PAYLOAD = '<script>alert("x")</script> Lieferung & Abnahme'


def _renew(asked: Asked, *, mailed: bool) -> tuple[str, datetime]:
    """Renew the request's link (the next message would carry the new one); the new token."""
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    with session_scope() as session:
        token = renew_link(
            session=session,
            request_id=asked.request_id,
            secret=secret_key_bytes(get_settings()),
            at=at,
        )
        if mailed:
            request = session.get_one(StatusRequest, asked.request_id)
            request.link_sent_at = at + timedelta(hours=1)
    return token, at


def _local(at: datetime) -> str:
    return at.astimezone(get_settings().zone).strftime("%d.%m.%Y, %H:%M Uhr")


def test_a_replaced_link_says_when_and_whom_to_ask_and_is_no_bad_guess(
    client: TestClient, coordinator: tuple[str, str], asked: Asked
) -> None:
    new_token, replaced_at = _renew(asked, mailed=True)
    name, email = coordinator
    for _ in range(BAD_TOKEN_LIMIT + 2):
        page = client.get(asked.path)
        assert page.status_code == 410
    assert "Dieser Link wurde ersetzt" in page.text
    assert f"seit dem {_local(replaced_at)} einen neuen Link" in page.text
    sent_at = replaced_at + timedelta(hours=1)
    assert f"am {_local(sent_at)} per E-Mail geschickt" in page.text
    assert name in page.text and f'href="mailto:{email}"' in page.text
    assert "Seite nicht gefunden" not in page.text
    # Twelve old links from one address did not use up its guesses: the new link opens.
    assert client.get(f"/s/{new_token}").status_code == 200
    assert client.get("/s/" + "x" * 43).status_code == 404

    api = client.get(asked.api_path)
    assert api.status_code == 410
    assert api.json() == {
        "detail": "this link has been replaced by a new one",
        "period": "2026-Q4",
        "replaced_at": replaced_at.isoformat(),
        "new_link_sent_at": sent_at.isoformat(),
        "contacts": [{"name": name, "email": email}],
    }


def test_a_replaced_link_whose_successor_was_not_mailed_yet_says_so_in_english(
    client: TestClient, coordinator: tuple[str, str]
) -> None:
    with session_scope() as session:
        asked = ask(session, language="en")
    _renew(asked, mailed=False)
    page = client.get(asked.path)
    assert page.status_code == 410 and "This link has been replaced" in page.text
    assert "The new link has not been sent to you yet." in page.text
    assert "Please contact:" in page.text and coordinator[1] in page.text


def test_a_form_sent_after_its_link_was_replaced_keeps_what_was_typed(
    client: TestClient, coordinator: tuple[str, str], asked: Asked
) -> None:
    first, second = asked.measure_ids
    typed = form_values(client.get(asked.path).text)
    typed.update(
        {
            f"m{first}-progress": "70",
            f"m{first}-risks": PAYLOAD,
            f"m{second}-status": "done",
            f"m{second}-achieved": "Zwei Zeilen\nText",
            f"m{first}-milestone-{asked.milestone_id}": "01.11.2026",
            "save": "all",
        }
    )
    _renew(asked, mailed=True)
    page = client.post(asked.path, data=typed)

    assert page.status_code == 410
    assert "Ihre Angaben wurden nicht gespeichert" in page.text
    assert "Während Sie das Formular ausgefüllt haben, wurde Ihr Link am" in page.text
    name, email = coordinator
    assert f'href="mailto:{email}?subject=Sachstand%202026-Q4%3A%20Otto%20Owner"' in page.text
    assert name in page.text
    shown = html.unescape(page.text)
    for value in ("70", PAYLOAD, "abgeschlossen", "Zwei Zeilen\nText", "01.11.2026"):
        assert value in shown
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text
    assert history() == []


@pytest.mark.parametrize("csrf", [None, "forged"])
def test_a_replaced_link_posted_without_its_csrf_token_shows_nothing_of_the_body(
    client: TestClient, asked: Asked, csrf: str | None
) -> None:
    _renew(asked, mailed=False)
    data = {f"m{asked.measure_ids[0]}-risks": PAYLOAD, "save": "all"}
    if csrf is not None:
        data["csrf"] = csrf
    page = client.post(asked.path, data=data)
    assert page.status_code == 410 and "Dieser Link wurde ersetzt" in page.text
    assert "alert" not in page.text and history() == []


def test_a_form_sent_after_the_period_closed_keeps_what_was_typed(
    client: TestClient, asked: Asked
) -> None:
    typed = form_values(client.get(asked.path).text)
    typed.update({f"m{asked.measure_ids[0]}-next_steps": "Vergabe im Oktober", "save": "all"})
    with session_scope() as session:
        session.execute(
            sa.update(StatusRequest)
            .where(StatusRequest.id == asked.request_id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    page = client.post(asked.path, data=typed)
    assert page.status_code == 410
    assert "wurde der Berichtszeitraum 2026-Q4 abgeschlossen" in page.text
    assert "Vergabe im Oktober" in page.text
    assert "Bitte wenden Sie sich an die Stabsstelle" not in page.text
    assert "an die Stabsstelle Digitalisierung" in page.text  # nobody is coordinator here
    assert history() == []
