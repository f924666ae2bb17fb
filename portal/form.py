"""The owner's page: the form for the period, saving one measure or all, and the confirmation."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from models.base import utcnow
from models.calendar_link import CalendarLink
from models.db import session_scope
from models.enums import AnswerSource, Health, MeasureStatus
from models.status.answers import TEXT_LIMIT, StatusAnswer
from models.status.tables import StatusRequest
from portal.deps import FormTexts, Gate, SecretKey, Today, app_settings, root_path
from portal.fields import (
    FIELDS,
    field_name,
    indicator_field,
    prefill,
    prefill_indicators,
    read_indicators,
    read_measure,
)
from portal.kept import kept_page
from portal.owner import (
    ForeignMeasureError,
    MeasureView,
    RecordedAnswer,
    RecordedValue,
    RequestView,
    record_answers,
    record_values,
    request_view,
)
from portal.security import LinkGoneError, check_csrf, csrf_token
from portal.texts import texts
from templating import render
from templating.labels import STATUS_LABELS, traffic_light

router = APIRouter(include_in_schema=False)
SAVE_ALL, SAVE_INDICATORS = "all", "indicators"


def _labels(view: RequestView) -> dict[str, str]:
    """The label of every field by name, for the error summary."""
    t = texts(view.language)
    labels: dict[str, str] = {}
    for measure in view.measures:
        for field in FIELDS:
            labels[field_name(measure.id, field)] = f"{measure.code}, {t[field]}"
        for milestone in measure.milestones:
            name = field_name(measure.id, f"milestone-{milestone.id}")
            labels[name] = f"{measure.code}, {milestone.title}"
    for indicator in view.indicators:
        labels[indicator_field(indicator.id)] = f"{indicator.code} {indicator.name}"
    return labels


def _anchor(name: str) -> str:
    """Where an error summary link leads: the field, or a radio group's first option."""
    return f"{name}-{Health.ON_TRACK.value}" if name.endswith("-health") else name


def _common(view: RequestView, request: Request) -> dict[str, Any]:
    t = texts(view.language)
    return {
        "lang": view.language,
        "t": t,
        "view": view,
        "root": root_path(request.scope),
        "form_url": request.url.path,
        "status_labels": STATUS_LABELS[view.language],
        "health_labels": {health: traffic_light(health, view.language) for health in Health},
        "limit": TEXT_LIMIT,
        "zone": app_settings(request).zone,
    }


def calendar_of(secret: bytes, status_request: StatusRequest, portal_url: str) -> CalendarLink:
    """The owner's calendar link, which the page offers beside the form."""
    return CalendarLink.of(secret=secret, portal_url=portal_url, person_id=status_request.person_id)


def form_page(
    view: RequestView,
    *,
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    csrf: str,
    calendar: CalendarLink,
    saved: RecordedAnswer | None = None,
    saved_values: list[RecordedValue] | None = None,
) -> HTMLResponse:
    """The form with these typed values and these messages (422 when there are any)."""
    t = texts(view.language)
    status_labels = STATUS_LABELS[view.language]
    html = render(
        "portal/form.html",
        **_common(view, request),
        title=t["form_title"].format(period=view.period_code),
        values=values,
        errors=errors,
        anchors={name: _anchor(name) for name in errors},
        labels=_labels(view),
        csrf=csrf,
        calendar=calendar,
        saved=saved,
        saved_values=saved_values or [],
        status_options=[(status.value, status_labels[status]) for status in MeasureStatus],
        health_options=[(h.value, traffic_light(h, view.language)) for h in Health]
        + [("", t["health_none"])],
    )
    return HTMLResponse(html, status_code=422 if errors else 200)


def confirmation_page(
    view: RequestView,
    *,
    request: Request,
    recorded: list[RecordedAnswer],
    values: list[RecordedValue],
) -> HTMLResponse:
    """What was recorded, measure by measure, then the indicators' values."""
    html = render(
        "portal/confirmation.html",
        **_common(view, request),
        title=texts(view.language)["confirmation_title"],
        recorded=recorded,
        values=values,
        recorded_at=recorded[0].reported_at if recorded else values[0].recorded_at,
        closes_on=view.closes_on,
    )
    return HTMLResponse(html)


@router.get("/s/{token}")
def show_form(
    token: str, request: Request, gate: Gate, secret: SecretKey, today: Today
) -> HTMLResponse:
    """The owner's form, prefilled with the last reported state of each measure."""
    with session_scope(actor="portal") as session:
        status_request = gate.request(session=session, token=token, now=utcnow())
        view = request_view(session=session, status_request=status_request, today=today)
        csrf = csrf_token(secret, status_request.token_hash)
        calendar = calendar_of(secret, status_request, app_settings(request).portal_url)
    values = {k: v for m in view.measures for k, v in prefill(m, view.language).items()}
    values |= prefill_indicators(view.indicators, view.language)
    return form_page(view, request=request, values=values, errors={}, csrf=csrf, calendar=calendar)


def _chosen(view: RequestView, save: str) -> list[MeasureView]:
    """The measures this submission saves: all, or the one whose button was pressed."""
    if save == SAVE_ALL:
        return view.measures
    if save == SAVE_INDICATORS:
        return []
    measure = view.measure(int(save)) if re.fullmatch("[0-9]{1,18}", save) else None
    if measure is None:
        raise ForeignMeasureError
    return [measure]


def _read(
    form: dict[str, str], measures: list[MeasureView], view: RequestView
) -> tuple[dict[int, StatusAnswer], dict[str, str]]:
    answers: dict[int, StatusAnswer] = {}
    errors: dict[str, str] = {}
    for measure in measures:
        answer, problems = read_measure(form, measure, view.language)
        errors.update(problems)
        if answer is not None:
            answers[measure.id] = answer
    return answers, errors


def _read_values(
    form: dict[str, str], view: RequestView, save: str, answers: int
) -> tuple[dict[int, Decimal], dict[str, str]]:
    """The indicators' values, when this submission saves them; one of them is wanted when the
    submission would otherwise record nothing."""
    if save not in (SAVE_ALL, SAVE_INDICATORS) or not view.indicators:
        return {}, {}
    values, errors = read_indicators(form, view.indicators, view.language)
    if not values and not errors and not answers:
        first = indicator_field(view.indicators[0].id)
        errors[first] = texts(view.language)["error_nothing_entered"]
    return values, errors


@router.post("/s/{token}")
def submit(
    token: str, request: Request, gate: Gate, secret: SecretKey, form: FormTexts, today: Today
) -> HTMLResponse:
    """Record one measure, the indicators or all; an invalid form records nothing and comes
    back as typed, and so does one whose link was replaced or expired while the owner typed
    (`portal.kept`)."""
    with session_scope(actor="portal") as session:
        try:
            status_request = gate.request(session=session, token=token, now=utcnow())
        except LinkGoneError as gone:
            return kept_page(gone, session=session, request=request, form=form, secret=secret)
        check_csrf(secret, status_request, form.get("csrf"))
        session.info["actor"] = f"portal: {status_request.person.email}"
        view = request_view(session=session, status_request=status_request, today=today)
        save = form.get("save", SAVE_ALL)
        answers, errors = _read(form, _chosen(view, save), view)
        values, problems = _read_values(form, view, save, len(answers))
        errors |= problems
        csrf = csrf_token(secret, status_request.token_hash)
        calendar = calendar_of(secret, status_request, app_settings(request).portal_url)
        if errors:
            return form_page(
                view, request=request, values=form, errors=errors, csrf=csrf, calendar=calendar
            )
        recorded = record_answers(
            session=session,
            status_request=status_request,
            answers=answers,
            source=AnswerSource.PORTAL,
        )
        saved_values = record_values(
            session=session, status_request=status_request, values=values, today=today
        )
        view = request_view(session=session, status_request=status_request, today=today)
    if save == SAVE_ALL:
        return confirmation_page(view, request=request, recorded=recorded, values=saved_values)
    return form_page(
        view,
        request=request,
        values=form,
        errors={},
        csrf=csrf,
        calendar=calendar,
        saved=recorded[0] if recorded else None,
        saved_values=saved_values,
    )
