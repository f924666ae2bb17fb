"""What the routes get injected: the link gate, the secret key, the form's texts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from starlette.types import Scope

from models.base import utcnow
from models.calendar import local_day
from models.settings import Settings, get_settings, secret_key_bytes
from portal.security import BadTokenLimiter, LinkGate

# Starlette's own cap on form fields; an owner with many measures stays far below it.
MAX_FORM_FIELDS = 2000


def root_path(scope: Scope) -> str:
    """Where the app is mounted ("" at the root), so its pages link within it."""
    return str(scope.get("root_path", "")).rstrip("/")


def app_settings(request: Request) -> Settings:
    """The settings the app was made with, else the process's (read once, `get_settings`)."""
    configured: Settings | None = request.app.state.settings
    return configured or get_settings()


def local_today(request: Request) -> date:
    """Today in the app's time zone: the day an owner's value describes."""
    return local_day(utcnow(), app_settings(request).zone)


def link_gate(request: Request) -> LinkGate:
    """The gate for this client, refusing it at once when it guessed too many links."""
    limiter: BadTokenLimiter = request.app.state.limiter
    address = request.client.host if request.client else "unknown"
    gate = LinkGate(limiter=limiter, address=address, settings=app_settings(request))
    gate.check()
    return gate


def secret_key(request: Request) -> bytes:
    """The server's secret, resolved on first use (see `models.settings.secret_key_bytes`)."""
    state = request.app.state
    if getattr(state, "secret_key", None) is None:
        state.secret_key = secret_key_bytes(app_settings(request))
    key: bytes = state.secret_key
    return key


async def form_texts(request: Request) -> dict[str, str]:
    """The posted form as texts (the first value of each name); files are refused."""
    async with request.form(max_files=0, max_fields=MAX_FORM_FIELDS) as form:
        texts: dict[str, str] = {}
        for name, value in form.multi_items():
            if isinstance(value, str):
                texts.setdefault(name, value)
        return texts


AppSettings = Annotated[Settings, Depends(app_settings)]
Today = Annotated[date, Depends(local_today)]
Gate = Annotated[LinkGate, Depends(link_gate)]
SecretKey = Annotated[bytes, Depends(secret_key)]
FormTexts = Annotated[dict[str, str], Depends(form_texts)]
