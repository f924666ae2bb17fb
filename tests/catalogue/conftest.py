"""Helpers for catalogue tests: row counts, writing sample files, running the command line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

import models
from fahrplan.cli import main
from models.db import session_scope


def row_counts() -> dict[str, int]:
    """How many rows every table holds."""
    with session_scope() as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in models.Base.metadata.tables.items()
        }


@dataclass(frozen=True)
class Run:
    """What a command line run left behind."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run `fahrplan ARGS…` in this process, through the same `main` the script calls."""

    def run(*args: str) -> Run:
        monkeypatch.setattr(sys, "argv", ["fahrplan", *args])
        with pytest.raises(SystemExit) as exit_:
            main()
        captured = capsys.readouterr()
        return Run(int(exit_.value.code or 0), captured.out, captured.err)

    return run


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """A file with this text; CSV lines end in CRLF as Excel writes them."""
    data = text.replace("\n", "\r\n") if path.suffix == ".csv" else text
    path.write_bytes(data.encode(encoding))
    return path
