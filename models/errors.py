"""The project's errors of two kinds.

A `UserError` is a mistake in input or configuration that the user can correct: shown as one
clear line, never as a stack trace. An `InvariantError` is something the code relies on that
did not hold (a bug, or data changed underneath a run): nobody's input to correct, so it fails
the run loudly with its trace. Unlike `assert`, it still holds when Python runs with -O.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class UserError(Exception):
    """A mistake in input or configuration that the user can correct."""


class InvariantError(Exception):
    """Something the code relies on did not hold."""


class MissingRecordError(InvariantError, LookupError):
    """A row that the work at hand relies on is gone, e.g. deleted while a run was under way."""


class MunicipalityGoneError(MissingRecordError):
    """A municipality a run was started for is no longer in the database."""


class SnapshotMissingError(MissingRecordError):
    """A report is to be delivered whose snapshot was never stored: delivery follows production."""


class UnsentRequestError(InvariantError):
    """A status request is chased that was never sent."""


class IncompleteDeadlineError(InvariantError):
    """An OZG service's deadline without the maturity model or target it is about."""


class MissingValueError(InvariantError):
    """A value that the query's own filter, or an earlier step, guarantees is missing."""


def required(value: T | None, what: str) -> T:
    """`value`, which the caller's query or an earlier step guarantees; MissingValueError
    naming `what` when it is None."""
    if value is None:
        raise MissingValueError(f"{what} is missing")
    return value
