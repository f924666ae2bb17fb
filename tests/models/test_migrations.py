from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import models
from models.migrate import downgrade, upgrade


def _differences(url: str) -> list[object]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = list(compare_metadata(context, models.Base.metadata))
    engine.dispose()
    return found


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    names = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    return names


def test_migrations_go_down_and_up_and_match_the_models(database_url: str) -> None:
    assert _differences(database_url) == []
    downgrade(database_url, "base")
    assert _tables(database_url) == set()
    upgrade(database_url)
    assert _tables(database_url) == set(models.Base.metadata.tables)
    assert _differences(database_url) == []
