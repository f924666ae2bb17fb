"""A form sent with a link that went away while the owner typed: nothing is recorded, and
everything typed is shown back with where to send it, so that nothing is lost.

A link goes away when a coordinator renews it or when the period closes. What was typed is
shown back only to a POST carrying the form's CSRF token, which was derived from the link's
own hash; any other POST gets the page that says the link is gone, and nothing of its body.
"""

from __future__ import annotations

import hmac
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.enums import Health, MeasureStatus
from models.errors import MissingRecordError
from models.settings import Language
from models.status.owner_requests import request_with_measures_by_id
from portal.deps import app_settings, local_today, root_path
from portal.errors import replaced_paragraphs
from portal.fields import FIELDS, field_name, milestone_field
from portal.owner import MeasureView, request_view
from portal.security import LinkGoneError, ReplacedLinkError, csrf_token
from portal.texts import texts
from templating import render
from templating.labels import STATUS_LABELS, traffic_light


class KeptField(BaseModel):
    """One field as the owner filled it in."""

    label: str
    value: str


class KeptMeasure(BaseModel):
    """What the owner typed for one measure."""

    id: int
    code: str
    title: str
    fields: list[KeptField]


def _shown(field: str, value: str, language: Language) -> str:
    """A choice by its label, as the owner saw it; typed text as typed."""
    if field == "status" and value in set(MeasureStatus):
        return STATUS_LABELS[language][MeasureStatus(value)]
    if field == "health":
        known = value in set(Health)
        return traffic_light(Health(value), language) if known else texts(language)["health_none"]
    return value


def kept_measure(measure: MeasureView, form: dict[str, str], language: Language) -> KeptMeasure:
    """The fields of one measure that the form carried, in the order of the form."""
    t = texts(language)
    fields = [
        KeptField(label=t[field], value=_shown(field, form[name], language))
        for field in FIELDS
        if (name := field_name(measure.id, field)) in form and form[name].strip()
    ]
    fields += [
        KeptField(label=milestone.title, value=form[name])
        for milestone in measure.milestones
        if (name := milestone_field(measure.id, milestone.id)) in form and form[name].strip()
    ]
    return KeptMeasure(id=measure.id, code=measure.code, title=measure.title, fields=fields)


def _paragraphs(gone: LinkGoneError, zone: ZoneInfo) -> list[str]:
    if isinstance(gone, ReplacedLinkError):
        return replaced_paragraphs(gone, zone=zone, first="kept_replaced")
    return [texts(gone.language)["kept_expired"].format(period=gone.period_code)]


def kept_page(
    gone: LinkGoneError,
    *,
    session: Session,
    request: Request,
    form: dict[str, str],
    secret: bytes,
) -> HTMLResponse:
    """The page that keeps what was typed and says where to send it (410: the link is gone)."""
    expected = csrf_token(secret, gone.token_hash)
    if not hmac.compare_digest(expected.encode(), form.get("csrf", "").encode()):
        raise gone
    status_request = request_with_measures_by_id(session=session, request_id=gone.request_id)
    if status_request is None:
        raise MissingRecordError(f"status request {gone.request_id} of a gone link vanished")
    view = request_view(session=session, status_request=status_request, today=local_today(request))
    t = texts(gone.language)
    kept = [kept_measure(measure, form, gone.language) for measure in view.measures]
    html = render(
        "portal/kept.html",
        lang=gone.language,
        t=t,
        root=root_path(request.scope),
        title=t["kept_title"],
        paragraphs=_paragraphs(gone, app_settings(request).zone),
        contacts=gone.contacts,
        subject=t["kept_subject"].format(period=gone.period_code, name=view.owner_name),
        kept=[measure for measure in kept if measure.fields],
    )
    return HTMLResponse(html, status_code=410)
