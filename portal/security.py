"""What keeps an owner's link safe: token lookup, expiry, CSRF, slow-down, headers, size limits."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.person import coordinators_of
from models.settings import Language, Settings
from models.status.answers import hash_token
from models.status.links import replaced_link
from models.status.owner_requests import request_with_measures
from models.status.tables import ReplacedStatusLink, StatusRequest
from portal.owner import language_of

# Links hold 43 URL-safe characters (`models.status.links`); anything far from that shape is
# not worth a query.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
# A secret in a URL path: the owner's page, the API and the calendar feeds (the coordinators'
# key included).
TOKEN_IN_PATH = re.compile(r"(/s/|/status/|/ical/(?:coordinator/)?)[^/?#\s]+")
BAD_TOKEN_LIMIT = 10
BAD_TOKEN_WINDOW_SECONDS = 600.0
MAX_BODY_BYTES = 2 * 1024 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    # The token is in the path: no other site may learn it from a Referer header.
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class Contact(BaseModel):
    """Someone an owner can turn to when the link no longer works."""

    name: str
    email: str


class UnknownLinkError(Exception):
    """No request has this token; the page says nothing more."""


class LinkGoneError(Exception):
    """A genuine link that no longer opens the form; it says whom to contact, and it is no
    guess, so it never counts against the client. `token_hash` is the link's own hash (the
    CSRF token of a form opened with it derives from it); `request_id` its request."""

    def __init__(
        self,
        *,
        request_id: int,
        token_hash: str,
        period_code: str,
        language: Language,
        contacts: list[Contact],
    ) -> None:
        super().__init__(period_code)
        self.request_id, self.token_hash = request_id, token_hash
        self.period_code, self.language, self.contacts = period_code, language, contacts


class ExpiredLinkError(LinkGoneError):
    """The link's request exists, but its period is closed or the link expired."""


class ReplacedLinkError(LinkGoneError):
    """The link was renewed: the request has a newer one, which may have been mailed already
    (`new_link_sent_at`)."""

    def __init__(
        self, *, replaced_at: datetime, new_link_sent_at: datetime | None, **gone: Any
    ) -> None:
        super().__init__(**gone)
        self.replaced_at, self.new_link_sent_at = replaced_at, new_link_sent_at


class TooManyBadTokensError(Exception):
    """This address guessed too many links lately."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class CsrfError(Exception):
    """A POST without the form's CSRF token, or with a wrong one."""

    def __init__(self, language: Language) -> None:
        super().__init__(language)
        self.language = language


class BodyTooLargeError(Exception):
    """A request body beyond MAX_BODY_BYTES."""


class BadTokenLimiter:
    """A sliding window of failed lookups per client address; a full window answers 429.

    In memory and per process: enough to make guessing 256-bit tokens pointless and to keep
    a noisy client from reaching the database. Behind a reverse proxy, run uvicorn with proxy
    headers so that the address is the client's, not the proxy's.
    """

    def __init__(
        self,
        *,
        limit: int = BAD_TOKEN_LIMIT,
        window_seconds: float = BAD_TOKEN_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        max_addresses: int = 10_000,
    ) -> None:
        self.limit, self.window, self.clock = limit, window_seconds, clock
        self.max_addresses = max_addresses
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        failures = self._failures.get(address, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, address: str) -> int | None:
        """Seconds until this address may try again, or None when it may now."""
        with self._lock:
            now = self.clock()
            failures = self._recent(address, now)
            if len(failures) < self.limit:
                return None
            return max(1, math.ceil(failures[-self.limit] + self.window - now))

    def record_failure(self, address: str) -> None:
        """Count one bad token (or bad password) from this address."""
        with self._lock:
            now = self.clock()
            failures = self._recent(address, now)
            failures.append(now)
            self._failures[address] = failures
            if len(self._failures) > self.max_addresses:
                self._forget_quiet(now)

    def _forget_quiet(self, now: float) -> None:
        for address in list(self._failures):
            if not self._recent(address, now):
                del self._failures[address]
        while len(self._failures) > self.max_addresses:
            del self._failures[next(iter(self._failures))]


class LinkGate:
    """Opens an owner's request for one client, counting its bad tokens."""

    def __init__(self, *, limiter: BadTokenLimiter, address: str, settings: Settings) -> None:
        self.limiter, self.address, self.settings = limiter, address, settings

    def check(self) -> None:
        """Refuse an address that guessed too often, before it reaches the database."""
        retry_after = self.limiter.retry_after(self.address)
        if retry_after is not None:
            raise TooManyBadTokensError(retry_after)

    def request(self, *, session: Session, token: str, now: datetime) -> StatusRequest:
        """The open request behind this token; UnknownLinkError, ExpiredLinkError or
        ReplacedLinkError otherwise."""
        self.check()
        digest = hash_token(token) if TOKEN_SHAPE.match(token) else None
        found = request_with_measures(session=session, token_hash=digest) if digest else None
        # The database compares with an early exit; checking again in constant time keeps the
        # answer from depending on how much of a guess matched.
        if found is None or digest is None or not hmac.compare_digest(found.token_hash, digest):
            raise self._gone_or_unknown(session=session, digest=digest, now=now)
        if is_expired(found, now=now, settings=self.settings):
            raise expired_link(session=session, status_request=found)
        return found

    def _gone_or_unknown(
        self, *, session: Session, digest: str | None, now: datetime
    ) -> LinkGoneError | UnknownLinkError:
        """A link that was replaced is no guess; anything else unknown counts as one."""
        replaced = replaced_link(session=session, token_hash=digest) if digest else None
        if replaced is None or digest is None:
            self.limiter.record_failure(self.address)
            return UnknownLinkError()
        request = replaced.request
        if is_expired(request, now=now, settings=self.settings):
            return expired_link(session=session, status_request=request, token_hash=digest)
        return replaced_link_error(session=session, replaced=replaced)


def _gone(session: Session, status_request: StatusRequest, token_hash: str) -> dict[str, Any]:
    contacts = coordinators_of(
        session=session, municipality_id=status_request.period.municipality_id
    )
    return {
        "request_id": status_request.id,
        "token_hash": token_hash,
        "period_code": status_request.period.code,
        "language": language_of(status_request.person.language),
        "contacts": [Contact(name=c.name, email=c.email) for c in contacts],
    }


def expired_link(
    *, session: Session, status_request: StatusRequest, token_hash: str | None = None
) -> ExpiredLinkError:
    """The error for an expired link, naming the coordinators the owner can turn to."""
    return ExpiredLinkError(
        **_gone(session, status_request, token_hash or status_request.token_hash)
    )


def replaced_link_error(*, session: Session, replaced: ReplacedStatusLink) -> ReplacedLinkError:
    """The error for a replaced link: when, whether the new one went out, whom to ask."""
    request = replaced.request
    sent_at = request.link_sent_at
    return ReplacedLinkError(
        replaced_at=replaced.replaced_at,
        new_link_sent_at=sent_at
        if sent_at is not None and sent_at >= replaced.replaced_at
        else None,
        **_gone(session, request, replaced.token_hash),
    )


def redacted(text: str) -> str:
    """The text with every link token in a path replaced by `***`, fit for a log."""
    return TOKEN_IN_PATH.sub(r"\1***", text)


def is_expired(status_request: StatusRequest, *, now: datetime, settings: Settings) -> bool:
    """Past the link's expiry, or past the last day of its period (local time)."""
    closed = now.astimezone(settings.zone).date() > status_request.period.closes_on
    return closed or now >= status_request.expires_at


def csrf_token(secret: bytes, token_hash: str) -> str:
    """The form's CSRF token: an HMAC of the request's token hash with the server's secret."""
    return hmac.new(secret, b"csrf:" + token_hash.encode(), hashlib.sha256).hexdigest()


def check_csrf(secret: bytes, status_request: StatusRequest, given: str | None) -> None:
    """Refuse a POST whose CSRF token is missing or wrong, comparing in constant time."""
    expected = csrf_token(secret, status_request.token_hash)
    if not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise CsrfError(language_of(status_request.person.language))


class SecurityHeadersMiddleware:
    """Adds the security headers to every response; pages are never stored by caches."""

    def __init__(self, app: ASGIApp, *, static_prefix: str = "/static/") -> None:
        self.app, self.static_prefix = app, static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope["path"]).startswith(self.static_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if not cacheable:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuses request bodies beyond a limit, whether announced or streamed."""

    def __init__(self, app: ASGIApp, *, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        announced = dict(scope["headers"]).get(b"content-length", b"0")
        if announced.isdigit() and int(announced) > self.limit:
            raise BodyTooLargeError
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLargeError
            return message

        await self.app(scope, counting_receive, send)
