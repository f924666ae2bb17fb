"""What the JSON API refuses with 422, never 500: numbers that are not finite, true/false for a
number, text that is not valid Unicode, days no strategy plans with."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders.status import Asked
from tests.portal.conftest import history

# Python's json writes NaN, Infinity and lone surrogates, as a careless client would.
NOT_FINITE = [float("nan"), float("inf"), float("-inf")]


def _post(client: TestClient, asked: Asked, **fields: Any) -> tuple[int, Any]:
    answer = {"measure_id": asked.measure_ids[0], "status": "in_progress", "progress": 50}
    body = json.dumps({"answers": [{**answer, **fields}]})
    response = client.post(
        asked.api_path, content=body, headers={"content-type": "application/json"}
    )
    return response.status_code, response.json()


def _where(body: Any) -> set[tuple[Any, ...]]:
    return {tuple(problem["loc"][3:]) for problem in body["detail"]}


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        *[({"progress": value}, ("progress",)) for value in NOT_FINITE],
        *[({"budget_spent": value}, ("budget_spent",)) for value in NOT_FINITE],
        ({"progress": True}, ("progress",)),
        ({"progress": False}, ("progress",)),
        ({"budget_spent": True}, ("budget_spent",)),
        ({"budget_spent": "NaN"}, ("budget_spent",)),
        ({"achieved": "Stand \ud800"}, ("achieved",)),
        ({"risks": "\udfff"}, ("risks",)),
        ({"forecast_end_on": "0001-01-01"}, ("forecast_end_on",)),
        ({"forecast_end_on": "9999-12-31"}, ("forecast_end_on",)),
        ({"forecast_end_on": "1999-12-31"}, ("forecast_end_on",)),
        ({"forecast_end_on": 1767225600}, ("forecast_end_on",)),
        ({"forecast_end_on": float("nan")}, ("forecast_end_on",)),
    ],
)
def test_a_value_no_answer_can_hold_is_refused_with_422(
    client: TestClient, asked: Asked, fields: dict[str, Any], where: tuple[str, ...]
) -> None:
    status, body = _post(client, asked, **fields)
    assert status == 422, body
    assert where in _where(body)
    assert history() == []


def test_a_huge_number_that_json_reads_as_infinity_is_refused(
    client: TestClient, asked: Asked
) -> None:
    body = '{"answers": [{"measure_id": %d, "status": "done", "progress": 1e309}]}'
    response = client.post(
        asked.api_path,
        content=body % asked.measure_ids[0],
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["input"] == "inf"
    assert history() == []


def test_true_is_no_measure_and_no_milestone(client: TestClient, asked: Asked) -> None:
    status, body = _post(client, asked, measure_id=True)
    assert status == 422 and ("measure_id",) in _where(body)
    status, body = _post(client, asked, milestones_reached={str(asked.milestone_id): "2150-01-01"})
    assert status == 422
    assert ("milestones_reached", str(asked.milestone_id)) in _where(body)


def test_the_edges_of_the_plausible_range_are_accepted(client: TestClient, asked: Asked) -> None:
    assert _post(client, asked, forecast_end_on="2000-01-01")[0] == 200
    assert _post(client, asked, forecast_end_on="2100-12-31", progress=50.0)[0] == 200
    assert [report.forecast_end_on.year for report in history()] == [2000, 2100]  # type: ignore[union-attr]


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None), max_size=20),
    st.just("\ud800"),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
FIELDS = st.sampled_from(
    ["progress", "budget_spent", "forecast_end_on", "achieved", "health", "milestones_reached"]
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=FIELDS, value=ANYTHING)
def test_any_value_in_any_field_gets_an_answer_never_a_server_error(
    client: TestClient, asked: Asked, field: str, value: Any
) -> None:
    status, body = _post(client, asked, **{field: value})
    assert status in (200, 422), body
    if status == 200:
        (stored,) = [r for r in history() if r.id == body["recorded"][0]["report_id"]]
        assert 0 <= stored.progress <= 100
        assert stored.budget_spent is None or stored.budget_spent.is_finite()
        day = stored.forecast_end_on
        assert day is None or 2000 <= day.year <= 2100
