from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from models.settings import ConfigurationError, Settings, secret_key_bytes

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/fahrplan"


@pytest.mark.parametrize(
    "value", ["", "   ", "short", "changeme-changeme-changeme-changeme", "x" * 31]
)
def test_an_empty_short_or_placeholder_secret_key_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="secret_key"):
        Settings(secret_key=value)


def test_production_must_configure_its_secret_key() -> None:
    with pytest.raises(ConfigurationError, match="FAHRPLAN_SECRET_KEY"):
        secret_key_bytes(Settings(database_url=POSTGRES, secret_key=None))
    configured = Settings(database_url=POSTGRES, secret_key="Zq8" * 11)
    assert secret_key_bytes(configured) == b"Zq8" * 11


def test_the_embedded_default_keeps_one_generated_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(database_url="sqlite:///var/fahrplan.sqlite3", secret_key=None)
    first = secret_key_bytes(settings)
    assert len(first) >= 32
    assert secret_key_bytes(settings) == first
    assert (tmp_path / "var" / "secret_key").read_bytes().strip() == first
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]
