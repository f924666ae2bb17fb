"""The JSON API for integrations: the same request and answers as the web form.

CSRF: a POST must say `Content-Type: application/json`. A browser sends that cross-site only
after a CORS preflight, which this app never grants, so no other site can post for an owner.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.base import utcnow
from models.db import session_scope
from models.enums import AnswerSource
from models.status.answers import Number, StatusAnswer
from portal.deps import Gate, Today
from portal.owner import ForeignMeasureError, RequestView, record_answers, request_view
from portal.security import Contact

PREFIX = "/api/v1"
MAX_ANSWERS = 500


class MeasureAnswer(StatusAnswer):
    """An answer about one measure of the request."""

    measure_id: Number = Field(ge=1, le=2**53)


class Submission(BaseModel):
    """Answers for one or more measures of the request; all are recorded or none."""

    model_config = ConfigDict(extra="forbid")

    answers: list[MeasureAnswer] = Field(min_length=1, max_length=MAX_ANSWERS)

    @field_validator("answers")
    @classmethod
    def _once_each(cls, answers: list[MeasureAnswer]) -> list[MeasureAnswer]:
        ids = [answer.measure_id for answer in answers]
        if len(set(ids)) != len(ids):
            raise ValueError("each measure may be answered only once per submission")
        return answers


class Recorded(BaseModel):
    """One answer as recorded in the history."""

    measure_id: int
    report_id: int
    reported_at: datetime


class SubmissionResult(BaseModel):
    """What was recorded."""

    recorded: list[Recorded]


class Problem(BaseModel):
    """Why a request was refused."""

    detail: str


class ExpiredProblem(Problem):
    """The link's period is closed, or the link was replaced: whom to contact instead."""

    period: str
    contacts: list[Contact]
    # Only for a replaced link: when it was replaced, and when its successor was mailed.
    replaced_at: datetime | None = None
    new_link_sent_at: datetime | None = None


REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown link, or a measure not on this request"},
    410: {
        "model": ExpiredProblem,
        "description": "The link expired, its period is closed, or it was replaced",
    },
    413: {"model": Problem, "description": "Request body too large"},
    429: {"model": Problem, "description": "Too many bad links from this address lately"},
}

router = APIRouter(prefix=PREFIX, tags=["status"], responses=REFUSALS)


def json_only(request: Request) -> None:
    """Refuse a POST that does not declare JSON (see the module's note on CSRF)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(415, "send the answers as application/json")


def _check_milestones(view: RequestView, answers: list[MeasureAnswer]) -> None:
    """A milestone must belong to the measure it is reported for."""
    problems = []
    for index, answer in enumerate(answers):
        measure = view.measure(answer.measure_id)
        own = {milestone.id for milestone in measure.milestones} if measure else set()
        foreign = sorted(set(answer.milestones_reached) - own)
        if foreign:
            problems.append(
                {
                    "type": "value_error",
                    "loc": ("body", "answers", index, "milestones_reached"),
                    "msg": f"milestone(s) {foreign} do not belong to measure {answer.measure_id}",
                    "input": foreign,
                }
            )
    if problems:
        raise RequestValidationError(problems)


@router.get("/status/{token}", summary="The request behind a link, with the last state")
def read_status(token: str, gate: Gate, today: Today) -> RequestView:
    """The period and each measure asked about, with its last reported state."""
    with session_scope(actor="portal api") as session:
        status_request = gate.request(session=session, token=token, now=utcnow())
        return request_view(session=session, status_request=status_request, today=today)


@router.post(
    "/status/{token}",
    summary="Answer for one or more measures",
    dependencies=[Depends(json_only)],
    responses={
        400: {"model": Problem, "description": "Body cannot be read as JSON"},
        415: {"model": Problem, "description": "Body is not application/json"},
    },
)
def answer_status(token: str, submission: Submission, gate: Gate, today: Today) -> SubmissionResult:
    """Record the answers; each one appends to the measure's history."""
    with session_scope(actor="portal api") as session:
        status_request = gate.request(session=session, token=token, now=utcnow())
        session.info["actor"] = f"api: {status_request.person.email}"
        view = request_view(session=session, status_request=status_request, today=today)
        if any(view.measure(answer.measure_id) is None for answer in submission.answers):
            raise ForeignMeasureError
        _check_milestones(view, submission.answers)
        answers = {
            answer.measure_id: StatusAnswer.model_validate(
                answer.model_dump(exclude={"measure_id"})
            )
            for answer in submission.answers
        }
        recorded = record_answers(
            session=session,
            status_request=status_request,
            answers=answers,
            source=AnswerSource.API,
        )
    return SubmissionResult(
        recorded=[
            Recorded(measure_id=r.measure_id, report_id=r.report_id, reported_at=r.reported_at)
            for r in recorded
        ]
    )
