"""Runs of the gathering and deadline work in separate processes, started together.

Each child is a fresh interpreter (`spawn`), as two workers or a manual run beside a scheduled
one would be: its own engine, its own SMTP connection, the settings of the environment it
inherits. It runs the plain functions the flows run, waits at a barrier so that all start at
the same moment, and reports what it sent.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

SPAWN = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class RunReport:
    """What one run says it did: messages it sent itself, and those another run held."""

    pid: int
    sent: int
    elsewhere: int
    failure: str = ""


def _status_request(on: date) -> tuple[int, int]:
    from flows.common import municipality_ids, run_instant
    from flows.status import asking
    from models.settings import get_settings
    from models.status.tables import period_code_of

    at = run_instant(on, get_settings().zone)
    sent = elsewhere = 0
    for municipality_id in municipality_ids():
        period_id = asking.prepare_requests(
            municipality_id=municipality_id, period_code=period_code_of(on), at=at
        )
        outcome = asking.send_requests(period_id=period_id, at=at)
        sent, elsewhere = sent + outcome.count("asked"), elsewhere + outcome.elsewhere
    return sent, elsewhere


def _remind(on: date) -> tuple[int, int]:
    from flows.common import municipality_ids, run_instant
    from flows.status import chasing
    from models.settings import get_settings

    at = run_instant(on, get_settings().zone)
    sent = elsewhere = 0
    for municipality_id in municipality_ids():
        outcome = chasing.chase_owners(municipality_id=municipality_id, at=at)
        made = outcome.count("reminded") + outcome.count("escalated")
        sent, elsewhere = sent + made, elsewhere + outcome.elsewhere
    return sent, elsewhere


def _deadlines(on: date) -> tuple[int, int]:
    from flows.common import municipality_ids
    from flows.deadlines.plan import plan_deadlines
    from models.settings import get_settings
    from notify import dispatch

    settings = get_settings()
    sent = elsewhere = 0
    for municipality_id in municipality_ids():
        plan = plan_deadlines(municipality_id=municipality_id, on=on, settings=settings)
        delivery = dispatch(plan.messages)
        sent, elsewhere = sent + len(delivery.sent), elsewhere + len(delivery.elsewhere)
    return sent, elsewhere


WORK: dict[str, Callable[[date], tuple[int, int]]] = {
    "status-request": _status_request,
    "remind": _remind,
    "deadlines": _deadlines,
}


def run_step(step: str, on: date) -> RunReport:
    """Run one step in this process."""
    sent, elsewhere = WORK[step](on)
    return RunReport(pid=os.getpid(), sent=sent, elsewhere=elsewhere)


def _warm_up() -> None:
    """Import and load what a run needs once per process (Apprise's plugins, the templates),
    so that the runs start the race together instead of one by one."""
    import apprise

    from flows.deadlines import plan  # noqa: F401
    from flows.status import asking, chasing  # noqa: F401
    from templating import environment

    apprise.Apprise.instantiate("mailto://127.0.0.1:25?from=warm@example.org")
    for name in environment().list_templates(filter_func=lambda name: name.startswith("notify/")):
        environment().get_template(name)


def _child(plan: list[tuple[str, date]], start: Barrier, reports: Queue[RunReport]) -> None:
    _warm_up()
    for step, on in plan:
        start.wait()
        try:
            reports.put(run_step(step, on))
        except BaseException as error:
            reports.put(RunReport(pid=os.getpid(), sent=0, elsewhere=0, failure=repr(error)))
            raise


class ConcurrentRuns:
    """`count` processes that run the steps of `plan` one after the other, all of them each
    step at the same moment, when the test says so (`step()`); the test looks at the results
    in between. Starting a process costs seconds, so the processes serve the whole plan.
    """

    def __init__(self, plan: list[tuple[str, date]], count: int) -> None:
        self.count = count
        self._start = SPAWN.Barrier(count + 1)
        self._reports: Queue[RunReport] = SPAWN.Queue()
        self._children: list[SpawnProcess] = [
            SPAWN.Process(target=_child, args=(plan, self._start, self._reports), daemon=True)
            for _ in range(count)
        ]
        for child in self._children:
            child.start()

    @property
    def pids(self) -> list[int]:
        """The processes' ids, e.g. to kill one."""
        return [child.pid for child in self._children if child.pid is not None]

    def start_step(self, *, timeout: float = 600) -> None:
        """Let every process start the next step, together."""
        self._start.wait(timeout)

    def step(self, *, timeout: float = 600) -> list[RunReport]:
        """Let every process run the next step together; what each of them reports."""
        self.start_step(timeout=timeout)
        reports = [self._reports.get(timeout=timeout) for _ in self._children]
        failures = [f"{r.pid}: {r.failure}" for r in reports if r.failure]
        assert not failures, failures
        return reports

    def close(self) -> list[int | None]:
        """Wait for the processes to end (one that hangs is stopped); their exit codes."""
        for child in self._children:
            child.join(30)
            if child.is_alive():
                child.kill()
                child.join()
        return [child.exitcode for child in self._children]

    def __enter__(self) -> ConcurrentRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            exits = self.close()
            assert exits == [0] * self.count, exits
            return
        for child in self._children:  # the test failed: its error is the one to see
            child.kill()
            child.join()


def received_by_kind(mails: list[Any]) -> dict[str, list[str]]:
    """The recipients of received mails, by the message kind their subject names."""
    kinds: dict[str, list[str]] = {}
    for mail in mails:
        subject = str(mail["Subject"])
        kind = subject.split(":")[0] if ":" in subject else subject
        kinds.setdefault(kind, []).append(str(mail["To"]))
    return kinds
