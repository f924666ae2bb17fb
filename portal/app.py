"""The owners' web form and its JSON API as one ASGI app, built by `create_app()`, not at import.

Further routes join with `app.include_router(...)`, e.g. an iCalendar feed per link.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from models.settings import Settings
from portal import api, form, ical, overview
from portal.errors import ErrorPageMiddleware, install_error_handlers
from portal.security import BadTokenLimiter, BodyLimitMiddleware, SecurityHeadersMiddleware

STATIC = Path(__file__).with_name("static")


def create_app(
    *, settings: Settings | None = None, limiter: BadTokenLimiter | None = None
) -> FastAPI:
    """A fresh portal app; `limiter` replaces the default slow-down of bad tokens. Without
    `settings` the app reads the process's settings at its first request."""
    app = FastAPI(
        title="Digitalfahrplan status API",
        version="1",
        summary="Read and answer an owner's status request, as the web form does.",
        openapi_url=f"{api.PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.limiter = limiter or BadTokenLimiter()
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(form.router)
    app.include_router(api.router)
    app.include_router(overview.router)
    app.include_router(ical.router, include_in_schema=False)
    install_error_handlers(app)
    # The last added runs first: headers wrap everything, even the error pages.
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(ErrorPageMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
