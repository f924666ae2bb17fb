"""Indicators on the owner's form: each with its last value and next target, a value appended to
the history with the owner as source, bad numbers refused with nothing recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from models import IndicatorValue, StatusRequest, StatusRequestIndicator
from models.calendar import local_day
from models.db import session_scope
from models.indicator import append_value
from models.municipality import ensure_municipality
from models.settings import get_settings
from models.status.answers import new_token
from models.status.tables import ReportingPeriod
from portal.form_reader import form_values
from tests.builders import catalogue, indicators
from tests.builders.status import Asked, ask
from tests.portal.conftest import history


@dataclass(frozen=True)
class Counted:
    """An owner asked for measures and indicators, or for indicators only."""

    path: str
    request_id: int
    indicator_ids: list[int]
    measure_ids: list[int]


def add_indicators(session: Session, request_id: int, owner_id: int) -> list[int]:
    """Two indicators of the owner on the request: one with history and targets, one new."""
    town = ensure_municipality(session=session, slug="default", name="Musterstadt")
    online = indicators.indicator(
        session, town, name="Online-Dienste <script>x</script>", owner_id=owner_id
    )
    indicators.target(session, online, date(2026, 12, 31), "50")
    indicators.target(session, online, date(2099, 12, 31), "90")
    append_value(
        session=session,
        indicator=online,
        measured_on=date(2025, 12, 31),
        value=Decimal("24.5"),
        source="Statistikamt",
        recorded_by="import",
    )
    waiting = indicators.indicator(session, town, name="Wartezeit", unit="Tage", owner_id=owner_id)
    for indicator in (online, waiting):
        session.add(StatusRequestIndicator(request_id=request_id, indicator_id=indicator.id))
    session.flush()
    return [online.id, waiting.id]


def ask_with_indicators(session: Session) -> Counted:
    """The usual owner with two measures, asked for two indicators as well."""
    asked: Asked = ask(session)
    request = session.get_one(StatusRequest, asked.request_id)
    ids = add_indicators(session, asked.request_id, request.person_id)
    return Counted(asked.path, asked.request_id, ids, asked.measure_ids)


def ask_indicators_only(session: Session) -> Counted:
    """An owner without measures, asked for two indicators."""
    today = datetime.now(UTC).date()
    town = ensure_municipality(session=session, slug="default", name="Musterstadt")
    owner = catalogue.person(session, town, name="Ida Index", email="ida@musterstadt.example")
    period = ReportingPeriod(
        municipality_id=town.id,
        code="2026-Q4",
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=3),
        due_on=today + timedelta(days=14),
        closes_on=today + timedelta(days=30),
    )
    session.add(period)
    session.flush()
    token, token_hash = new_token()
    request = StatusRequest(
        period_id=period.id,
        person_id=owner.id,
        token_hash=token_hash,
        expires_at=datetime.now(UTC) + timedelta(days=30),
    )
    session.add(request)
    session.flush()
    ids = add_indicators(session, request.id, owner.id)
    return Counted(f"/s/{token}", request.id, ids, [])


def values_recorded() -> list[tuple[int, Decimal, date, str, str]]:
    with session_scope() as session:
        rows = session.scalars(sa.select(IndicatorValue).order_by(IndicatorValue.id))
        return [(v.indicator_id, v.value, v.measured_on, v.source, v.recorded_by) for v in rows]


def _submit(client: TestClient, counted: Counted, **changes: str) -> httpx.Response:
    values = form_values(client.get(counted.path).text)
    values.update(changes)
    response: httpx.Response = client.post(counted.path, data=values)
    return response


def test_each_indicator_shows_its_last_value_and_next_target(
    client: TestClient, portal_env: object
) -> None:
    with session_scope() as session:
        counted = ask_with_indicators(session)
    page = client.get(counted.path).text
    online, waiting = counted.indicator_ids
    assert '<legend><h2 class="measure-title">Kennzahlen</h2></legend>' in page
    assert "Online-Dienste &lt;script&gt;x&lt;/script&gt;: aktueller Wert (in %)" in page
    assert "<script>x" not in page
    assert "Zuletzt 24,5 am 31.12.2025. Nächstes Ziel: 50 bis 31.12.2026." in page
    assert "Wartezeit: aktueller Wert (in Tage)" in page
    assert "Noch kein Wert gemeldet." in page
    values = form_values(page)
    assert values[f"k{online}-value"] == values[f"k{waiting}-value"] == ""


def test_one_submission_records_measures_and_values_and_closes_the_request(
    client: TestClient, portal_env: object
) -> None:
    with session_scope() as session:
        counted = ask_with_indicators(session)
    online, waiting = counted.indicator_ids
    response = _submit(
        client, counted, save="all", **{f"k{online}-value": "31,5", f"k{waiting}-value": "40"}
    )
    assert response.status_code == 200, response.text
    assert "Vielen Dank, Ihre Angaben sind gespeichert" in response.text
    assert "31,5 % (Stand" in response.text and "40 Tage (Stand" in response.text
    as_of = local_day(datetime.now(UTC), get_settings().zone)
    assert values_recorded()[1:] == [
        (online, Decimal("31.5"), as_of, "Meldung Otto Owner", "otto.owner@musterstadt.example"),
        (waiting, Decimal(40), as_of, "Meldung Otto Owner", "otto.owner@musterstadt.example"),
    ]
    assert len(history()) == 2
    with session_scope() as session:
        request = session.get_one(StatusRequest, counted.request_id)
        assert request.answered_at is not None
    # Opened again, the form shows the values given in this period.
    values = form_values(client.get(counted.path).text)
    assert values[f"k{online}-value"] == "31,5"


def test_a_value_left_empty_is_not_recorded_and_keeps_the_request_open(
    client: TestClient, portal_env: object
) -> None:
    with session_scope() as session:
        counted = ask_with_indicators(session)
    online, _ = counted.indicator_ids
    assert _submit(client, counted, save="all", **{f"k{online}-value": "33"}).status_code == 200
    assert [row[:2] for row in values_recorded()[1:]] == [(online, Decimal(33))]
    with session_scope() as session:
        assert session.get_one(StatusRequest, counted.request_id).answered_at is None


def test_a_bad_number_records_nothing_and_says_where(
    client: TestClient, portal_env: object
) -> None:
    with session_scope() as session:
        counted = ask_with_indicators(session)
    online, waiting = counted.indicator_ids
    response = _submit(
        client, counted, save="all", **{f"k{online}-value": "viel", f"k{waiting}-value": "1,5"}
    )
    assert response.status_code == 422
    assert "Geben Sie eine Zahl an, zum Beispiel 12,5." in response.text
    assert f'href="#k{online}-value"' in response.text
    assert form_values(response.text)[f"k{online}-value"] == "viel"
    assert len(values_recorded()) == 1 and history() == []


def test_saving_the_indicators_alone_records_no_measure(
    client: TestClient, portal_env: object
) -> None:
    with session_scope() as session:
        counted = ask_with_indicators(session)
    online, _ = counted.indicator_ids
    response = _submit(client, counted, save="indicators", **{f"k{online}-value": "35"})
    assert response.status_code == 200
    assert "Ihre Werte der Kennzahlen sind gespeichert." in response.text
    assert history() == []
    assert [row[:2] for row in values_recorded()[1:]] == [(online, Decimal(35))]


def test_an_owner_of_indicators_only_answers_them_and_needs_to_give_one(
    client: TestClient, portal_env: object
) -> None:
    with session_scope() as session:
        counted = ask_indicators_only(session)
    empty = _submit(client, counted, save="all")
    assert empty.status_code == 422
    assert "Tragen Sie einen Wert ein oder schließen Sie die Seite." in empty.text
    online, waiting = counted.indicator_ids
    done = _submit(
        client, counted, save="all", **{f"k{online}-value": "30", f"k{waiting}-value": "38"}
    )
    assert done.status_code == 200
    # The period is over: the values describe its last day.
    ended = datetime.now(UTC).date() - timedelta(days=3)
    assert [row[2] for row in values_recorded()[1:]] == [ended, ended]
    with session_scope() as session:
        assert session.get_one(StatusRequest, counted.request_id).answered_at is not None
