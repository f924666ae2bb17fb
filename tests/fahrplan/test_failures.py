"""How each kind of failure is told: the line and the exit code."""

from __future__ import annotations

import httpx
from sqlalchemy.exc import OperationalError

from fahrplan.failures import (
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_RUN_FAILED,
    FlowRunError,
    explain,
    redacted,
)
from fahrplan.flow_runs import TemporaryServerError
from models.errors import UserError


def _raised_from(error: Exception, cause: Exception) -> Exception:
    try:
        raise error from cause
    except Exception as raised:
        return raised


def test_each_kind_of_failure_gets_its_exit_code() -> None:
    refused = OperationalError("SELECT 1", {}, Exception("connection refused\n\tIs it running?"))
    unreachable = _raised_from(
        RuntimeError("Failed to reach API at http://prefect:4200/api/"),
        httpx.ConnectError("All connection attempts failed"),
    )
    cases = [
        (UserError("--period: 2026-Q5 is no quarter"), EXIT_INPUT),
        (refused, EXIT_ENVIRONMENT),
        (unreachable, EXIT_ENVIRONMENT),
        (TemporaryServerError("did not start"), EXIT_ENVIRONMENT),
        (FlowRunError("remind-2026-12-09", Exception("2 recipient(s) not reached")), 4),
        (FlowRunError("report-2026-Q4", UserError("a report covers a finished quarter")), 1),
        (KeyError("measure"), EXIT_INTERNAL),
    ]
    assert [explain(error).exit_code for error, _ in cases] == [code for _, code in cases]
    assert EXIT_RUN_FAILED == 4


def test_the_line_names_the_run_the_cause_or_the_fault() -> None:
    failed = explain(FlowRunError("remind-2026-12-09", Exception("2 recipient(s)\nnot reached")))
    assert failed.line == "remind-2026-12-09 failed: 2 recipient(s) not reached"
    unreachable = _raised_from(
        RuntimeError("Failed to reach API at http://prefect:4200/api/"),
        httpx.ConnectError("All connection attempts failed"),
    )
    assert explain(unreachable).line == (
        "Failed to reach API at http://prefect:4200/api/ "
        "(the Prefect API cannot be used: All connection attempts failed)"
    )
    assert explain(KeyError("x")).line.startswith("unexpected error KeyError: 'x' (a fault")


def test_passwords_in_urls_are_hidden_wherever_they_appear() -> None:
    reason = Exception("mailtos://bot:s3cr3t@smtp.example?from=a@b.de refused; sqlite:///var/x")
    line = explain(FlowRunError("deadlines-2026-12-01", reason)).line
    assert "s3cr3t" not in line and "mailtos://bot:***@smtp.example" in line
    assert redacted("postgresql+psycopg://u:p%40ss@h/db") == "postgresql+psycopg://u:***@h/db"
