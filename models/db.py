"""Engine and the unit of work: one transaction per task or request, committed at the edge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import Insert

from models.settings import get_settings


def _sqlite_pragmas(connection: Any, record: Any) -> None:
    # SQLite leaves foreign keys off by default; WAL lets the portal read while a flow writes.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def shown_url(url: str) -> str:
    """The database URL as messages show it: with its password as `***`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def make_engine(url: str) -> Engine:
    """An engine for this URL, with SQLite's folder created and its pragmas set."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@cache
def get_engine() -> Engine:
    """The engine of the configured database, made once per process."""
    return make_engine(get_settings().database_url)


@cache
def _session_factory() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def reset_engine() -> None:
    """Forget the engine, e.g. after the database URL changed (tests, `--database`)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    _session_factory.cache_clear()


@contextmanager
def session_scope(*, actor: str = "system") -> Iterator[Session]:
    """A session that commits when the block ends and rolls back when it raises."""
    session = _session_factory()()
    session.info["actor"] = actor
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_or_ignore(session: Session, table: Any, *, unique: list[str]) -> Insert:
    """An INSERT that skips rows whose `unique` columns are taken, on SQLite and PostgreSQL.

    Two runs that create the same rows at the same moment both succeed, and each row exists
    once: the database decides, not a read before the write.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement: Insert = dialect.insert(table).on_conflict_do_nothing(index_elements=unique)
    return statement
