"""Error answers: owners see a plain page in their language, integrations JSON, nobody a trace."""

from __future__ import annotations

import logging
import math
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.errors import InvariantError
from models.settings import Language, get_settings
from portal.deps import app_settings, root_path
from portal.owner import ForeignMeasureError
from portal.security import (
    BodyTooLargeError,
    Contact,
    CsrfError,
    ExpiredLinkError,
    ReplacedLinkError,
    TooManyBadTokensError,
    UnknownLinkError,
    redacted,
)
from portal.texts import texts
from templating import render
from templating.formatting import format_datetime

logger = logging.getLogger("portal")
E = TypeVar("E", bound=Exception)
API_PREFIX = "/api/"
PAGES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    410: "expired",
    413: "too_large",
    429: "too_many",
    500: "error",
}


def default_language() -> Language:
    """The installation's language; German when even the settings cannot be read."""
    try:
        return get_settings().language
    except Exception:
        return "de"


def message_page(
    status_code: int,
    *,
    language: Language,
    root: str = "",
    contacts: list[Contact] | None = None,
    headers: dict[str, str] | None = None,
    page: str | None = None,
    paragraphs: list[str] | None = None,
    **values: str,
) -> HTMLResponse:
    """A page that says one thing: its title and text come from the wording for this status
    (or for `page`), unless `paragraphs` says it in more than one."""
    t = texts(language)
    key = page or PAGES.get(status_code, "bad_request")
    html = render(
        "portal/message.html",
        lang=language,
        root=root,
        t=t,
        title=t[f"{key}_title"],
        paragraphs=paragraphs or [t[f"{key}_text"].format(**values)],
        contacts=contacts,
    )
    return HTMLResponse(html, status_code=status_code, headers=headers)


def replaced_paragraphs(
    error: ReplacedLinkError, *, zone: ZoneInfo, first: str = "replaced_text"
) -> list[str]:
    """What happened to a replaced link, and whether and when the new one was sent."""
    language = error.language
    t = texts(language)
    replaced = format_datetime(error.replaced_at, zone, language)
    sent = error.new_link_sent_at
    return [
        t[first].format(period=error.period_code, replaced=replaced),
        t["replaced_sent"].format(sent=format_datetime(sent, zone, language))
        if sent is not None
        else t["replaced_not_sent"],
    ]


def _answer(
    request: Request,
    status_code: int,
    detail: str,
    *,
    language: Language | None = None,
    headers: dict[str, str] | None = None,
    contacts: list[Contact] | None = None,
    page: str | None = None,
    paragraphs: list[str] | None = None,
    facts: dict[str, Any] | None = None,
    **values: str,
) -> Response:
    if request.url.path.startswith(API_PREFIX):
        body: dict[str, Any] = {"detail": detail, **values, **(facts or {})}
        if contacts is not None:
            body["contacts"] = [contact.model_dump() for contact in contacts]
        return JSONResponse(body, status_code=status_code, headers=headers)
    return message_page(
        status_code,
        language=language or default_language(),
        root=root_path(request.scope),
        contacts=contacts,
        headers=headers,
        page=page,
        paragraphs=paragraphs,
        **values,
    )


def _registered(error: Exception, kind: type[E]) -> E:
    """The error as the kind its handler is registered for, the only kind Starlette passes it."""
    if not isinstance(error, kind):
        raise InvariantError(f"the handler of {kind.__name__} got {type(error).__name__}")
    return error


async def _unknown_link(request: Request, error: Exception) -> Response:
    return _answer(request, 404, "not found")


async def _expired(request: Request, error: Exception) -> Response:
    error = _registered(error, ExpiredLinkError)
    return _answer(
        request,
        410,
        "this link has expired",
        language=error.language,
        contacts=error.contacts,
        period=error.period_code,
    )


async def _replaced(request: Request, error: Exception) -> Response:
    error = _registered(error, ReplacedLinkError)
    sent = error.new_link_sent_at
    return _answer(
        request,
        410,
        "this link has been replaced by a new one",
        language=error.language,
        contacts=error.contacts,
        page="replaced",
        paragraphs=replaced_paragraphs(error, zone=app_settings(request).zone),
        facts={
            "replaced_at": error.replaced_at.isoformat(),
            "new_link_sent_at": sent.isoformat() if sent is not None else None,
        },
        period=error.period_code,
    )


async def _too_many(request: Request, error: Exception) -> Response:
    error = _registered(error, TooManyBadTokensError)
    headers = {"retry-after": str(error.retry_after)}
    return _answer(request, 429, "too many bad links from this address", headers=headers)


async def _csrf(request: Request, error: Exception) -> Response:
    error = _registered(error, CsrfError)
    return _answer(request, 403, "missing or wrong CSRF token", language=error.language)


def json_safe(value: Any) -> Any:
    """A value that JSON can carry: what was sent is echoed in a 422, and may be NaN, Infinity
    or a lone surrogate, which JSON (and UTF-8) cannot hold; those are shown as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {json_safe(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


async def _invalid_request(request: Request, error: Exception) -> Response:
    """422 with every problem and where it is, also when what was sent cannot be echoed."""
    error = _registered(error, RequestValidationError)
    detail = json_safe(jsonable_encoder(error.errors()))
    return JSONResponse({"detail": detail}, status_code=422)


async def _http_error(request: Request, error: Exception) -> Response:
    error = _registered(error, HTTPException)
    detail = str(error.detail) if error.status_code != 404 else "not found"
    headers = dict(error.headers) if error.headers else None
    return _answer(request, error.status_code, detail, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Answer the portal's own refusals and HTTP errors as pages or JSON."""
    app.add_exception_handler(UnknownLinkError, _unknown_link)
    app.add_exception_handler(ForeignMeasureError, _unknown_link)
    app.add_exception_handler(ExpiredLinkError, _expired)
    app.add_exception_handler(ReplacedLinkError, _replaced)
    app.add_exception_handler(TooManyBadTokensError, _too_many)
    app.add_exception_handler(CsrfError, _csrf)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)


class ErrorPageMiddleware:
    """Turns an oversized body into 413 and any unexpected error into a plain 500 page.

    It sits outside the routes so that no exception, wherever raised, reaches the browser as a
    trace; the trace goes to the log instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except BodyTooLargeError:
            if started:
                raise
            await self._respond(scope, receive, send, 413, "request body too large")
        except Exception:
            path = redacted(str(scope["path"]))
            logger.exception("portal request failed: %s %s", scope["method"], path)
            if started:
                raise
            await self._respond(scope, receive, send, 500, "internal server error")

    async def _respond(
        self, scope: Scope, receive: Receive, send: Send, status_code: int, detail: str
    ) -> None:
        response: Response
        if str(scope["path"]).startswith(API_PREFIX):
            response = JSONResponse({"detail": detail}, status_code=status_code)
        else:
            response = message_page(status_code, language=default_language(), root=root_path(scope))
        await response(scope, receive, send)
