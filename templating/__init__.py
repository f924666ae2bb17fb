"""The one Jinja2 environment of the application, and the formats it shows values in."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape

from templating.formatting import (
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_percent,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PACKAGES = ("notify", "portal", "reports")


@cache
def environment() -> Environment:
    """Templates are addressed as `package/name`, e.g. `notify/status_request.de.html`."""
    loader = PrefixLoader(
        {package: FileSystemLoader(ROOT / package / "templates") for package in TEMPLATE_PACKAGES}
    )
    env = Environment(
        loader=loader,
        # Plain-text mail shows what was typed as it was typed; everything else is markup.
        autoescape=select_autoescape(
            disabled_extensions=("txt",), default=True, default_for_string=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=format_date,
        datetime=format_datetime,
        money=format_money,
        percent=format_percent,
        number=format_number,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render one template with this context."""
    return environment().get_template(template).render(**context)
