from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import quote

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from models import Measure, Milestone, StatusRequest
from models.db import session_scope
from models.enums import AnswerSource, Health, MeasureStatus
from models.status.answers import StatusAnswer
from portal.app import create_app
from portal.form_reader import form_values
from tests.builders import status
from tests.builders.status import Asked, ask
from tests.portal.conftest import history

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'
TEXT_FIELDS = ("health_reason", "achieved", "next_steps", "risks", "decisions_needed")


def _reported_before(asked: Asked) -> None:
    with session_scope() as session:
        status.answer(
            session,
            session.get_one(Measure, asked.measure_ids[0]),
            StatusAnswer(
                status=MeasureStatus.IN_PROGRESS,
                health=Health.AT_RISK,
                progress=40,
                achieved="Ausschreibung veröffentlicht",
                forecast_end_on=date(2027, 3, 31),
                budget_spent=Decimal("12500.5"),
            ),
            source=AnswerSource.PHONE,
            reported_by="clara@musterstadt.example",
        )


def _submit(client: TestClient, asked: Asked, save: str = "all", **changes: str) -> httpx.Response:
    values = form_values(client.get(asked.path).text)
    values.update(changes, save=save)
    response: httpx.Response = client.post(asked.path, data=values)
    return response


def test_each_measure_has_its_section_prefilled_with_the_last_reported_state(
    client: TestClient, asked: Asked
) -> None:
    _reported_before(asked)
    response = client.get(asked.path)
    assert response.status_code == 200
    assert '<html lang="de">' in response.text
    assert response.text.count('<fieldset class="measure"') == 2
    values = form_values(response.text)
    first, second = asked.measure_ids
    assert values[f"m{first}-progress"] == "40"
    assert values[f"m{first}-health"] == "at_risk"
    assert values[f"m{first}-achieved"] == "Ausschreibung veröffentlicht"
    assert values[f"m{first}-forecast_end_on"] == "31.03.2027"
    assert values[f"m{first}-budget_spent"] == "12500,50"
    assert values[f"m{first}-milestone-{asked.milestone_id}"] == ""
    assert values[f"m{second}-status"] == "in_progress"
    assert values[f"m{second}-health"] == ""
    assert "Gelb: gefährdet" in response.text


def test_submitting_all_records_every_measure_and_closes_the_request(
    client: TestClient, asked: Asked
) -> None:
    first, second = asked.measure_ids
    response = _submit(
        client,
        asked,
        **{
            f"m{first}-progress": "55",
            f"m{first}-health": "off_track",
            f"m{first}-health_reason": "Lieferant insolvent",
            f"m{first}-budget_spent": "1.234,56",
            f"m{first}-forecast_end_on": "2027-06-30",
            f"m{first}-milestone-{asked.milestone_id}": "3.11.2026",
            f"m{second}-status": "done",
            f"m{second}-progress": "100 %",
        },
    )
    assert response.status_code == 200
    assert "Vielen Dank" in response.text
    assert "Rot: kritisch" in response.text and "1.234,56 €" in response.text
    reports = history()
    assert [(r.measure_id, r.progress, r.source) for r in reports] == [
        (first, 55, AnswerSource.PORTAL),
        (second, 100, AnswerSource.PORTAL),
    ]
    assert reports[0].budget_spent == Decimal("1234.56")
    assert reports[0].reported_by == asked.owner_email
    with session_scope() as session:
        assert session.get_one(StatusRequest, asked.request_id).answered_at is not None
        assert session.get_one(Milestone, asked.milestone_id).done_on == date(2026, 11, 3)
        assert session.get_one(Measure, second).status is MeasureStatus.DONE


def test_saving_one_measure_records_it_alone_and_keeps_what_was_typed_elsewhere(
    client: TestClient, asked: Asked
) -> None:
    first, second = asked.measure_ids
    response = _submit(
        client,
        asked,
        save=str(first),
        **{f"m{first}-progress": "60", f"m{second}-next_steps": "noch nicht fertig"},
    )
    assert response.status_code == 200
    assert "Ihre Angaben zu Maßnahme" in response.text
    assert form_values(response.text)[f"m{second}-next_steps"] == "noch nicht fertig"
    assert [r.measure_id for r in history()] == [first]
    with session_scope() as session:
        assert session.get_one(StatusRequest, asked.request_id).answered_at is None


def test_every_save_appends_so_corrections_keep_the_history(
    client: TestClient, asked: Asked
) -> None:
    first, _ = asked.measure_ids
    _submit(client, asked, save=str(first), **{f"m{first}-progress": "30"})
    _submit(client, asked, save=str(first), **{f"m{first}-progress": "35"})
    assert [r.progress for r in history(first)] == [30, 35]
    assert form_values(client.get(asked.path).text)[f"m{first}-progress"] == "35"


def test_an_invalid_form_records_nothing_and_shows_each_error_beside_its_field(
    client: TestClient, asked: Asked
) -> None:
    first, second = asked.measure_ids
    typed = {
        f"m{first}-progress": "150",
        f"m{first}-forecast_end_on": "31.02.2027",
        f"m{first}-budget_spent": "-5",
        f"m{second}-risks": "r" * 4001,
        f"m{second}-achieved": "bleibt erhalten",
    }
    response = _submit(client, asked, **typed)
    assert response.status_code == 422
    page = response.text
    assert 'class="error-summary"' in page
    for name in typed:
        if name.endswith("achieved"):
            continue
        assert f'<a href="#{name}">' in page
        assert f'id="{name}-error"' in page
        assert f'aria-describedby="{name}-hint {name}-error" aria-invalid="true"' in page
    assert "(jetzt 4001)" in page
    assert {k: form_values(page)[k] for k in typed} == typed
    assert history() == []


def test_an_owner_who_prefers_english_reads_english(portal_env: object, client: TestClient) -> None:
    with session_scope() as session:
        asked = ask(session, language="en", email="erin@musterstadt.example")
    page = client.get(asked.path).text
    assert '<html lang="en">' in page
    assert "Save measure" in page and "Green: on track" in page
    response = _submit(client, asked, **{f"m{asked.measure_ids[0]}-budget_spent": "1,234.5"})
    assert "Thank you" in response.text and "€1,234.50" in response.text


def test_markup_typed_into_every_text_field_stays_inert_text(
    client: TestClient, asked: Asked
) -> None:
    first, second = asked.measure_ids
    typed = {f"m{m}-{field}": PAYLOAD for m in (first, second) for field in TEXT_FIELDS}
    invalid = _submit(client, asked, **typed, **{f"m{first}-progress": "x"})
    confirmed = _submit(client, asked, **typed)
    shown_again = client.get(asked.path)
    for response in (invalid, confirmed, shown_again):
        assert "<script>" not in response.text and "<img src=x" not in response.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text
    assert {form_values(shown_again.text)[k] for k in typed} == {PAYLOAD}
    assert {r.achieved for r in history()} == {PAYLOAD}


def test_the_portal_works_mounted_under_a_prefix(portal_env: object, asked: Asked) -> None:
    host = FastAPI()
    host.mount("/portal", create_app())
    client = TestClient(host)
    page = client.get(f"/portal{asked.path}")
    assert page.status_code == 200
    assert '<link rel="stylesheet" href="/portal/static/portal.css">' in page.text
    assert f'action="/portal{asked.path}"' in page.text
    assert client.get("/portal/static/portal.css").status_code == 200
    values = {**form_values(page.text), "save": "all"}
    confirmed = client.post(f"/portal{asked.path}", data=values)
    assert confirmed.status_code == 200
    assert f'<a href="/portal{asked.path}">' in confirmed.text
    assert len(history()) == 2
    not_found = client.get("/portal/s/unknown")
    assert '<link rel="stylesheet" href="/portal/static/portal.css">' in not_found.text


def test_days_no_strategy_plans_with_are_refused_beside_their_field(
    client: TestClient, asked: Asked
) -> None:
    first, _ = asked.measure_ids
    typed = {
        f"m{first}-forecast_end_on": "01.01.0001",
        f"m{first}-milestone-{asked.milestone_id}": "31.12.9999",
    }
    response = _submit(client, asked, **typed)
    assert response.status_code == 422
    for name in typed:
        assert f'<a href="#{name}">' in response.text and f'id="{name}-error"' in response.text
    assert response.text.count("Geben Sie ein Datum zwischen den Jahren 2000 und 2100 an.") >= 2
    assert {k: form_values(response.text)[k] for k in typed} == typed
    assert history() == []


def test_bytes_that_are_no_text_are_refused_or_replaced_never_a_server_error(
    client: TestClient, asked: Asked
) -> None:
    first, _ = asked.measure_ids
    values = form_values(client.get(asked.path).text)
    values.update(save=str(first))
    # A lone surrogate as UTF-8 would encode it, and a byte that starts no character at all.
    broken = {f"m{first}-achieved": "Stand%ED%A0%80", f"m{first}-risks": "%FF"}
    body = "&".join(
        f"{key}={broken.get(key) or quote(value)}" for key, value in (values | broken).items()
    )
    response = client.post(
        asked.path,
        content=body.encode("ascii"),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    (report,) = history()
    # Read as the replacement character, which can be stored and shown; no surrogate is kept.
    assert report.achieved.startswith("Stand\ufffd") and report.risks == "\ufffd"
