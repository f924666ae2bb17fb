"""The commands that gather status: `status-request`, `remind` and `status set`."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import ValidationError

from fahrplan.options import parse_day, parse_period
from models.db import session_scope
from models.enums import AnswerSource
from models.errors import UserError
from models.measure import measure_by_code
from models.municipality import municipality_by_slug
from models.settings import get_settings
from models.status.answers import StatusAnswer, record_answer
from models.vocabulary import parse_health, parse_status

Choice = TypeVar("Choice")


def _option(option: str, parse: Callable[[str], Choice], text: str) -> Choice:
    try:
        return parse(text)
    except ValueError as error:
        raise ValueError(f"{option}: {error}") from None


@dataclass(frozen=True)
class PhoneAnswer:
    """What `fahrplan status set` was told, as typed."""

    status: str
    progress: str
    comment: str = ""
    health: str | None = None
    health_reason: str = ""
    next_steps: str = ""
    risks: str = ""
    forecast: str | None = None


def checked_answer(told: PhoneAnswer) -> StatusAnswer:
    """The answer, or one UserError naming every problem; nothing is written before."""
    problems: list[str] = []
    fields: dict[str, object] = {
        "achieved": told.comment,
        "next_steps": told.next_steps,
        "risks": told.risks,
        "health_reason": told.health_reason,
        "progress": told.progress,
    }
    try:
        fields["status"] = _option("--status", parse_status, told.status)
    except ValueError as error:
        problems.append(str(error))
    try:
        if told.health is not None:
            fields["health"] = _option("--health", parse_health, told.health)
    except ValueError as error:
        problems.append(str(error))
    try:
        fields["forecast_end_on"] = parse_day(told.forecast, "--forecast")
    except UserError as error:
        problems.append(str(error))
    try:
        answer = StatusAnswer.model_validate(fields)
    except ValidationError as error:
        problems += [_problem(e["loc"], e["msg"]) for e in error.errors()]
    if problems:
        raise UserError("; ".join(dict.fromkeys(problems)))
    return answer


def _problem(location: tuple[int | str, ...], text: str) -> str:
    option = {"achieved": "comment", "forecast_end_on": "forecast"}.get(str(location[0]))
    return f"--{(option or str(location[0])).replace('_', '-')}: {text}"


def record_by_phone(code: str, told: PhoneAnswer, *, by: str | None = None) -> str:
    """Record an answer given by phone for the measure with this code; a summary line."""
    answer = checked_answer(told)
    reported_by = f"phone (recorded by {by or getpass.getuser()})"
    settings = get_settings()
    with session_scope(actor=reported_by) as session:
        town = municipality_by_slug(session=session, slug=settings.municipality)
        measure = town and measure_by_code(session=session, municipality_id=town.id, code=code)
        if not measure:
            raise UserError(f"no measure {code!r} in municipality {settings.municipality!r}")
        record_answer(
            session=session,
            measure=measure,
            answer=answer,
            source=AnswerSource.PHONE,
            reported_by=reported_by,
        )
    return f"{code}: {answer.status.value}, {answer.progress}% recorded ({reported_by})"


def run_status_request(period: str | None) -> str:
    """Run the status-request flow; a summary line (FlowRunError naming who was not reached)."""
    from fahrplan.flow_runs import run_flow
    from flows.status.request_flow import current_period, status_request

    code = parse_period(period) or current_period(get_settings().zone)
    outcome = run_flow(status_request, period=code)
    asked = outcome.count("asked")
    return f"status-request {code}: {asked} owner(s) asked, {outcome.asked_before} asked before"


def run_remind(on: str | None) -> str:
    """Run the remind flow for a day; a summary line (FlowRunError naming who was not reached)."""
    from fahrplan.flow_runs import run_flow
    from flows.status.remind_flow import remind

    day = parse_day(on)
    outcome = run_flow(remind, on=day)
    return (
        f"remind {day or 'today'}: {outcome.count('reminded')} reminded, "
        f"{outcome.count('escalated')} escalation(s) sent"
    )
