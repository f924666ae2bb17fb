"""Settings of the whole application, read from the environment or `.env` (prefix `FAHRPLAN_`)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import zoneinfo
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import holidays
from pydantic import (
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

Language = Literal["de", "en"]

# Where the embedded default keeps its generated secret key (relative to the working directory,
# like the other `var/` defaults).
SECRET_KEY_FILE = Path("var/secret_key")
SECRET_KEY_MIN_LENGTH = 32
PLACEHOLDER_SECRETS = ("changeme", "change-me", "change_me", "secret", "password", "example")


class ConfigurationError(Exception):
    """The settings cannot be used; the message is one line for the operator."""


def usable_horizons(days: list[int]) -> list[int]:
    """Deadline horizons, largest first; refuses an empty list and negative days."""
    if not days or any(day < 0 for day in days):
        raise ValueError("must list at least one number of days, none negative, e.g. [30,14,7,1]")
    return sorted(set(days), reverse=True)


# Lists of days are read by their own validator, not decoded as JSON first, so a typo such as
# `[abc]` is reported with the setting's name and an example like every other mistake.
Days = Annotated[list[int], NoDecode]


def _days(value: Any) -> Any:
    """`[-7, 0, 3]` or `-7,0,3` as a list of whole numbers; other values pass unchanged."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        found = json.loads(text) if text.startswith("[") else [int(p) for p in text.split(",")]
    except ValueError:
        found = None
    if not isinstance(found, list) or not all(type(day) is int for day in found):
        raise ValueError(f"must be whole numbers of days such as [-7,0,3], not {value!r}")
    return found


class Settings(BaseSettings):
    """Everything an installation can configure; see the table in docs/operating.md."""

    model_config = SettingsConfigDict(
        env_prefix="FAHRPLAN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite:///var/fahrplan.sqlite3"
    municipality: str = Field(default="default", pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    municipality_name: str = "Musterstadt"
    timezone: str = "Europe/Berlin"
    federal_state: str = "NW"
    language: Language = "de"
    portal_base_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8080")
    mail_url: SecretStr | None = None
    # Seconds to open a connection to the mail server, to wait for any one of its answers, and
    # for the whole of one message; a server that accepts and never answers costs at most these.
    mail_connect_timeout: float = Field(default=10.0, gt=0, le=300)
    mail_read_timeout: float = Field(default=30.0, gt=0, le=600)
    mail_total_timeout: float = Field(default=60.0, gt=0, le=1800)
    # After this many failures in a row on one channel a run stops trying it: the rest of its
    # messages stay pending for the next run, and the run fails naming the cause.
    mail_failure_limit: int = Field(default=3, ge=1, le=1000)
    # How long a run's claim on a message holds (see models.notification): when the run dies,
    # the message comes back to the next run after this. At least twice the total timeout, so
    # that a claim never runs out while its message is still being sent.
    message_lease_seconds: float = Field(default=600.0, gt=0, le=86400)
    outbox_dir: Path = Path("var/outbox")
    report_dir: Path = Path("var/reports")
    # Days relative to the due date on which an owner who has not answered is reminded;
    # negative is before the due date, positive counts working days after it.
    reminder_offsets: Days = [-7, 0, 3]
    # A status request is due this many days after it is sent (moved to the next working day).
    status_due_days: int = Field(default=15, ge=1, le=90)
    # Owners can still answer or correct this many days after the due date; their links
    # expire and the period closes at the end of that day.
    status_grace_days: int = Field(default=30, ge=0, le=180)
    deadline_horizons: Days = [30, 14, 7, 1]
    coordinator_summary: Literal["daily", "weekly"] = "daily"
    report_days_before_meeting: int | None = None
    overview_password: SecretStr | None = None
    # The secret in the coordinators' calendar URL (/ical/coordinator/<key>.ics); unset: no feed.
    calendar_key: SecretStr | None = None
    # Signs the portal's CSRF tokens; see `secret_key_bytes` for the embedded default.
    secret_key: SecretStr | None = None
    # What one `fahrplan import` reads at most: the size of each file, what a workbook may
    # unpack to, the rows of all files together, and the problems it lists (then counts).
    import_max_file_mb: int = Field(default=20, ge=1)
    import_max_unpacked_mb: int = Field(default=100, ge=1)
    import_max_rows: int = Field(default=50_000, ge=1)
    import_shown_problems: int = Field(default=100, ge=1)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        return value

    @field_validator("reminder_offsets", "deadline_horizons", mode="before")
    @classmethod
    def _read_days(cls, value: Any) -> Any:
        return _days(value)

    @field_validator("mail_url")
    @classmethod
    def _mail_server(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        parts = urlsplit(value.get_secret_value().strip())
        # The URL holds a password: the messages name its parts, never the URL itself.
        if parts.scheme not in ("mailto", "mailtos"):
            raise ValueError(
                "must be an Apprise e-mail URL, mailto://host:port?from=address or "
                f"mailtos://user:password@host?from=address, not {parts.scheme or 'no'}://"
            )
        try:
            hostname = parts.hostname
            parts.port  # noqa: B018 - reading it validates it
        except ValueError as error:
            raise ValueError(f"has a malformed server address ({error})") from None
        if not hostname:
            raise ValueError("names no mail server (mailto://host:port?from=address)")
        return SecretStr(value.get_secret_value().strip())

    @model_validator(mode="after")
    def _lease_outlives_a_message(self) -> Settings:
        if self.message_lease_seconds < 2 * self.mail_total_timeout:
            raise ValueError(
                "FAHRPLAN_MESSAGE_LEASE_SECONDS must be at least twice "
                "FAHRPLAN_MAIL_TOTAL_TIMEOUT, so that a claim outlives the message it covers"
            )
        return self

    @field_validator("deadline_horizons")
    @classmethod
    def _usable_horizons(cls, value: list[int]) -> list[int]:
        return usable_horizons(value)

    @field_validator("reminder_offsets")
    @classmethod
    def _ordered_offsets(cls, value: list[int]) -> list[int]:
        return sorted(set(value))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("federal_state")
    @classmethod
    def _known_state(cls, value: str) -> str:
        states = [code for code in holidays.country_holidays("DE").subdivisions if len(code) == 2]
        if value.upper() not in states:
            raise ValueError(
                f"unknown federal state {value!r}, expected one of {', '.join(states)}"
            )
        return value.upper()

    @field_validator("secret_key")
    @classmethod
    def _real_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value().strip()
        if len(secret) < SECRET_KEY_MIN_LENGTH or any(
            word in secret.lower() for word in PLACEHOLDER_SECRETS
        ):
            raise ValueError(
                f"must be at least {SECRET_KEY_MIN_LENGTH} random characters, not a placeholder "
                "(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return value

    @property
    def is_embedded(self) -> bool:
        """Whether this is the embedded default (SQLite) rather than a production database."""
        return self.database_url.startswith("sqlite")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The local time zone as an object."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def portal_url(self) -> str:
        """The portal's base URL without a trailing slash, for building links."""
        return str(self.portal_base_url).rstrip("/")


def _generated_secret(path: Path) -> bytes:
    """The key in this file, written once with a fresh random value when missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        # A hard link appears whole or not at all; when two processes race, the first one wins.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_bytes().strip()


def secret_key_bytes(settings: Settings) -> bytes:
    """The secret key: the configured one, or on the embedded default one generated per install.

    Production (PostgreSQL) must configure `FAHRPLAN_SECRET_KEY`: several hosts have to share it,
    and a key in a local file would silently differ between them.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().strip().encode()
    if not settings.is_embedded:
        raise ConfigurationError(
            "FAHRPLAN_SECRET_KEY: required when the database is PostgreSQL "
            "(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return _generated_secret(SECRET_KEY_FILE)


def _problem(location: tuple[int | str, ...], message: str) -> str:
    field = "FAHRPLAN_" + str(location[0]).upper() if location else "settings"
    return f"{field}: {message.removeprefix('Value error, ')}"


@cache
def get_settings() -> Settings:
    """The settings of this process, read once; refuses misconfiguration with one line that
    names every setting in error."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [_problem(found["loc"], found["msg"]) for found in error.errors()]
        raise ConfigurationError("; ".join(problems)) from None
    except SettingsError as error:
        # A value that could not even be decoded (a JSON setting with a typo).
        raise ConfigurationError(f"{error}: {error.__cause__}") from None
