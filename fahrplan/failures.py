"""What a failed command tells the operator: one line, and an exit code that says whose it is.

| code | meaning |
|---|---|
| 0 | done |
| 1 | input or settings to correct (a refused catalogue: one more line per problem) |
| 2 | the command line itself: an unknown option, a missing argument |
| 3 | the database, the Prefect API or a file cannot be used now; try again later |
| 4 | a flow run failed, e.g. some recipients were not reached; the next run retries them |
| 70 | an unexpected error, a bug: run again with `--verbose` for the traceback |

Kept free of Prefect and the database driver, so even a command that fails at once answers at
once.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass

from models.errors import UserError
from models.settings import ConfigurationError

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_ENVIRONMENT = 3
EXIT_RUN_FAILED = 4
EXIT_INTERNAL = 70

# `scheme://user:secret@host`: whatever stands between the colon and the @ is a secret.
CREDENTIALS = re.compile(r"(?P<start>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+@", re.IGNORECASE)


class FlowRunError(Exception):
    """A flow run did not complete; `reason` is what it failed on."""

    def __init__(self, run_name: str, reason: BaseException) -> None:
        super().__init__(run_name, reason)
        self.run_name = run_name
        self.reason = reason


@dataclass(frozen=True)
class Failure:
    """How one failure is told."""

    line: str
    exit_code: int
    error: BaseException

    def print_traceback(self) -> None:
        """The traceback of the error behind the line (for `--verbose`)."""
        traceback.print_exception(self.error)


def redacted(text: str) -> str:
    """The text with the password of every URL in it replaced by `***`."""
    return CREDENTIALS.sub(r"\g<start>***@", text)


def explain(error: BaseException) -> Failure:
    """The line and exit code for an error that ended a command."""
    if isinstance(error, FlowRunError):
        code = _exit_code(error.reason)
        line = f"{error.run_name} failed: {_reason(error.reason)}"
        code = EXIT_RUN_FAILED if code == EXIT_INTERNAL else code
        return Failure(redacted(line), code, error.reason)
    code, line = _exit_code(error), _reason(error)
    cause = _known_cause(error)
    if cause is not None:
        # e.g. Prefect's "Failed to reach API at …", raised from the connection error.
        line = f"{line} ({_reason(cause)})"
    if code == EXIT_INTERNAL:
        line = (
            f"unexpected error {type(error).__name__}: {line} "
            "(a fault of the program; run again with --verbose for the traceback)"
        )
    return Failure(redacted(line), code, error)


def _exit_code(error: BaseException) -> int:
    cause = _known_cause(error)
    return _own_exit_code(cause if cause is not None else error)


def _own_exit_code(error: BaseException) -> int:
    import httpx
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(error, UserError | ConfigurationError):
        return EXIT_INPUT
    if isinstance(error, SQLAlchemyError | httpx.HTTPError | OSError):
        return EXIT_ENVIRONMENT
    return EXIT_INTERNAL


def _known_cause(error: BaseException) -> BaseException | None:
    """For an error we know nothing of: the first error it was raised from that we know."""
    if _own_exit_code(error) != EXIT_INTERNAL:
        return None
    cause = error.__cause__
    while cause is not None:
        if _own_exit_code(cause) != EXIT_INTERNAL:
            return cause
        cause = cause.__cause__
    return None


def _reason(error: BaseException) -> str:
    import httpx
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(error, UserError | ConfigurationError):
        # Our own words; a refused catalogue lists its problems one per line on purpose.
        return str(error)
    if isinstance(error, DBAPIError):
        return f"{_database()} cannot be used: {_one_line(str(error.orig))}"
    if isinstance(error, SQLAlchemyError):
        return f"{_database()}: {_one_line(str(error).split('(Background on this error')[0])}"
    if isinstance(error, httpx.HTTPError):
        return f"the Prefect API cannot be used: {_one_line(str(error)) or type(error).__name__}"
    return _one_line(str(error)) or type(error).__name__


def _database() -> str:
    from models.db import shown_url
    from models.settings import get_settings

    try:
        return f"the database {shown_url(get_settings().database_url)}"
    except ConfigurationError:
        return "the database"


def _one_line(text: str) -> str:
    return " ".join(text.split())
