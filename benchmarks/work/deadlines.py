"""The daily deadline check (flow and plain) and its query (ORM and hand-written SQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from benchmarks.work import Context, Counts, Timed

if TYPE_CHECKING:
    from models.roadmap import Deadline

# A Monday: every overdue deadline is repeated to its owner, the heaviest day of the week.
CHECK_DAY = date(2026, 9, 7)

# Both query works run once untimed for the first town before they are timed: the first ORM
# query of a process pays SQLAlchemy's one-time compilation of the statement (about 9 ms),
# which a worker serving the flows pays once and which the hand-written text does not need;
# timed cold, a town's 3 ms query read as 4x the SQL.


def _day(context: Context) -> date:
    return context.on or CHECK_DAY


def check_flow(context: Context) -> Timed:
    """The `deadlines` flow for every municipality."""
    from flows.deadlines.deadlines_flow import deadlines

    def timed() -> Counts:
        outcome = deadlines(on=_day(context))
        sent = outcome.sent + outcome.already_sent
        return {"deadlines": outcome.deadlines, "messages": sent}

    return timed


def check_plain(context: Context) -> Timed:
    """What the `deadlines` flow does, without Prefect: plan and send, town by town."""
    from flows.common import municipality_ids
    from flows.deadlines.plan import plan_deadlines
    from models.settings import get_settings
    from notify import dispatch

    def timed() -> Counts:
        found = sent = 0
        settings = get_settings()
        for municipality_id in municipality_ids():
            plan = plan_deadlines(
                municipality_id=municipality_id, on=_day(context), settings=settings
            )
            delivery = dispatch(plan.messages)
            found += len(plan.deadlines)
            sent += len(delivery.sent) + len(delivery.already_sent)
        return {"deadlines": found, "messages": sent}

    return timed


def _towns(context: Context) -> list[int]:
    """Every municipality, or the one the context names."""
    from sqlalchemy import select

    from models.db import session_scope
    from models.municipality import Municipality

    query = select(Municipality.id).order_by(Municipality.id)
    if context.town is not None:
        query = query.where(Municipality.slug == context.town)
    with session_scope() as session:
        return list(session.scalars(query))


def _digest(keys: Iterable[tuple[str, int, str]]) -> Callable[[], Counts]:
    """Counts and a hash of what was found, computed once the clock has stopped."""
    found = list(keys)

    def count() -> Counts:
        text = "\n".join(f"{kind} {source} {due}" for kind, source, due in sorted(found))
        return {"deadlines": len(found), "digest": hashlib.sha256(text.encode()).hexdigest()[:16]}

    return count


def _until(context: Context) -> date:
    from models.settings import get_settings

    return _day(context) + timedelta(days=max(get_settings().deadline_horizons))


def query_orm(context: Context) -> Timed:
    """`models.roadmap.deadlines_within` for each municipality in one session."""
    from models.db import session_scope
    from models.roadmap import deadlines_within
    from models.settings import get_settings

    towns, days = _towns(context), max(get_settings().deadline_horizons)

    def query(towns: list[int]) -> list[Deadline]:
        found = []
        with session_scope() as session:
            for town in towns:
                found += deadlines_within(
                    session=session, municipality_id=town, on=_day(context), days=days
                )
        return found

    query(towns[:1])

    def timed() -> Callable[[], Counts]:
        found = query(towns)
        return _digest((d.kind.value, d.source_id, str(d.due_on)) for d in found)

    return timed


def query_sql(context: Context) -> Timed:
    """The hand-written SQL of `benchmarks.handwritten` for each municipality."""
    from benchmarks.handwritten import deadline_rows
    from models.db import get_engine

    towns, until = _towns(context), _until(context)

    def query(towns: list[int]) -> list[Any]:
        rows = []
        with get_engine().connect() as connection:
            for town in towns:
                rows += deadline_rows(connection, municipality_id=town, until=until)
        return rows

    query(towns[:1])

    def timed() -> Callable[[], Counts]:
        rows = query(towns)
        return _digest((row[0], row[1], str(row[2])) for row in rows)

    return timed
