from __future__ import annotations

from fastapi.testclient import TestClient

from models.enums import AnswerSource
from tests.builders.status import Asked
from tests.portal.conftest import history


def _answer(measure_id: int, **fields: object) -> dict[str, object]:
    return {"measure_id": measure_id, "status": "in_progress", "progress": 50, **fields}


def test_get_returns_the_measures_with_their_last_state(client: TestClient, asked: Asked) -> None:
    response = client.get(asked.api_path)
    assert response.status_code == 200
    body = response.json()
    assert body["period_code"] == "2026-Q4" and body["language"] == "de"
    assert [m["id"] for m in body["measures"]] == asked.measure_ids
    first = body["measures"][0]
    assert first["milestones"][0]["id"] == asked.milestone_id
    assert first["last"]["status"] == "in_progress" and first["last"]["reported_at"] is None


def test_post_records_answers_for_several_measures(client: TestClient, asked: Asked) -> None:
    first, second = asked.measure_ids
    response = client.post(
        asked.api_path,
        json={
            "answers": [
                _answer(
                    first,
                    health="at_risk",
                    health_reason="Personal fehlt",
                    budget_spent="99.90",
                    milestones_reached={str(asked.milestone_id): "2026-10-01"},
                ),
                _answer(second, status="done", progress=100),
            ]
        },
    )
    assert response.status_code == 200
    recorded = response.json()["recorded"]
    assert [r["measure_id"] for r in recorded] == [first, second]
    reports = history()
    assert [r.id for r in reports] == [r["report_id"] for r in recorded]
    assert {r.source for r in reports} == {AnswerSource.API}
    assert client.get(asked.api_path).json()["measures"][0]["last"]["health"] == "at_risk"


def test_invalid_answers_get_422_with_field_errors_and_nothing_is_stored(
    client: TestClient, asked: Asked
) -> None:
    first, second = asked.measure_ids
    response = client.post(
        asked.api_path,
        json={
            "answers": [
                _answer(first, progress=101),
                _answer(second, budget_spent="-1", colour="red"),
            ]
        },
    )
    assert response.status_code == 422
    locations = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert locations == {
        ("body", "answers", 0, "progress"),
        ("body", "answers", 1, "budget_spent"),
        ("body", "answers", 1, "colour"),
    }
    assert history() == []


def test_a_milestone_of_another_measure_or_a_repeated_measure_is_refused(
    client: TestClient, asked: Asked
) -> None:
    first, second = asked.measure_ids
    foreign_milestone = {str(asked.milestone_id): "2026-10-01"}
    refused = [
        [_answer(first), _answer(second, milestones_reached=foreign_milestone)],
        [_answer(first), _answer(first)],
        [],
    ]
    for answers in refused:
        assert client.post(asked.api_path, json={"answers": answers}).status_code == 422
    assert history() == []


def test_a_post_that_is_not_json_is_refused(client: TestClient, asked: Asked) -> None:
    body = '{"answers": [{"measure_id": %d, "status": "done", "progress": 100}]}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        response = client.post(asked.api_path, content=body % asked.measure_ids[0], headers=headers)
        assert response.status_code == 415
    assert history() == []


def test_the_openapi_schema_describes_the_api_alone(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {"/api/v1/status/{token}"}
    assert set(schema["paths"]["/api/v1/status/{token}"]) == {"get", "post"}
    assert client.get("/docs").status_code == 404
