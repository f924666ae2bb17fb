"""Creating and upgrading an installation."""

from __future__ import annotations

from models.db import session_scope, shown_url
from models.migrate import upgrade
from models.municipality import ensure_municipality
from models.settings import get_settings


def initialise() -> str:
    """Upgrade the schema to head and make sure the configured municipality exists."""
    settings = get_settings()
    upgrade(settings.database_url)
    with session_scope(actor="fahrplan init") as session:
        municipality = ensure_municipality(
            session=session, slug=settings.municipality, name=settings.municipality_name
        )
        name = municipality.name
    shown = shown_url(settings.database_url)
    return f"database ready: {shown} (municipality {settings.municipality}: {name})"
