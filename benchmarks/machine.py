"""The machine a run measured on: cores, memory, CPU, and the versions that matter."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

import sqlalchemy as sa


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def _memory_gb() -> float:
    try:
        text = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _postgres_version(url: str) -> str:
    try:
        engine = sa.create_engine(sa.make_url(url).set(database="postgres"))
        with engine.connect() as connection:
            version = str(connection.scalar(sa.text("SHOW server_version")))
        engine.dispose()
    except sa.exc.OperationalError:
        return "not reachable"
    return version


def machine(postgres_url: str) -> dict[str, object]:
    """What a reader needs to compare figures with their own machine."""
    from importlib.metadata import version

    return {
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "cpu": _cpu_model(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(postgres_url),
        "prefect": version("prefect"),
        "sqlalchemy": version("sqlalchemy"),
    }


def describe(found: dict[str, object]) -> str:
    """One line about the machine."""
    return (
        f"{found['cores']} cores, {found['memory_gb']} GB, {found['cpu']}; {found['system']}; "
        f"Python {found['python']}, SQLite {found['sqlite']}, PostgreSQL {found['postgresql']}, "
        f"Prefect {found['prefect']}, SQLAlchemy {found['sqlalchemy']}"
    )
