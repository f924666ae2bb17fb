"""Importing one town's catalogue: the real import of a workbook, beside bulk inserts.

The workbook is written by `fahrplan export` from a synthetic town of the scale's size, so
the import reads, checks and writes (with the audit trail) what a coordinating office would
load. The baseline writes the same town with the synthetic generator's bulk inserts: no
reading, no checks, no audit. Larger catalogues are built with the bulk loader alone.
"""

from __future__ import annotations

from benchmarks.work import Context, Counts, HarnessError, Timed, needed

# The municipalities the import step creates; removed before each run.
IMPORTED_TOWN = "imported"
BULK_PREFIX = "bulk"


def import_workbook(context: Context) -> Timed:
    """`fahrplan import` of the workbook into the municipality named in the context."""
    from catalogue.importer import import_catalogue

    catalogue = needed(context.catalogue, "the workbook to import")
    if context.town != IMPORTED_TOWN:
        raise HarnessError(f"the import goes into {IMPORTED_TOWN!r}, not {context.town!r}")

    def timed() -> Counts:
        result = import_catalogue([catalogue])
        created, _ = result.log.counts().get("measure", (0, 0))
        return {"measures": created}

    return timed


def bulk_load(context: Context) -> Timed:
    """The synthetic generator's bulk inserts of a town of the same shape."""
    from benchmarks.synthetic import generate
    from models.db import session_scope

    shape = needed(context.shape, "the shape of the town to load")
    if shape.prefix != BULK_PREFIX:
        raise HarnessError(f"bulk towns are named {BULK_PREFIX!r}, not {shape.prefix!r}")

    def timed() -> Counts:
        with session_scope(actor="benchmark") as session:
            made = generate(session=session, shape=shape)
        return {"measures": made.measures}

    return timed
