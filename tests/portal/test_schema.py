"""schemathesis against the API's OpenAPI schema, in process, on a request that exists."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.app import create_app
from portal.security import BadTokenLimiter
from tests.builders.status import Asked

# The app reads its settings and database per request, so one app serves every test database.
APP = create_app(limiter=BadTokenLimiter(limit=1_000_000))
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


def _aim_at(case: Any, asked: Asked) -> None:
    """Most cases use the real link and its measures, so they reach the recording code."""
    token = str(case.path_parameters.get("token", ""))
    if len(token) % 4:
        case.path_parameters["token"] = asked.token
    answers = case.body.get("answers") if isinstance(case.body, dict) else None
    for answer in answers if isinstance(answers, list) else []:
        if isinstance(answer, dict) and isinstance(answer.get("measure_id"), int):
            answer["measure_id"] = asked.measure_ids[answer["measure_id"] % 2]


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_answers_with_a_server_error(case: Any, asked: Asked) -> None:
    _aim_at(case, asked)
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
