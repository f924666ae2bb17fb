"""Alembic environment: runs migrations against the URL given by models.migrate."""

from __future__ import annotations

from alembic import context

import models
from models.db import make_engine
from models.errors import InvariantError

target_metadata = models.Base.metadata


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise InvariantError("migrations run through models.migrate, which gives the database URL")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
