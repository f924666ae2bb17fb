"""Status requests and reminders: the flows, and the same domain functions without Prefect.

The plain versions do what the flows do, in the same order and with the same functions of
`flows.status.asking` and `flows.status.chasing`; only the task runs, the artifact and the flow
run are missing. Both list the municipalities inside the timed part, as the flow does.
"""

from __future__ import annotations

from datetime import date

from benchmarks.work import Context, Timed, needed

PERIOD = "2026-Q3"
# The first working day of the quarter's third month: the day requests go out.
REQUEST_DAY = date(2026, 9, 1)


def _day(context: Context) -> date:
    return needed(context.on, "the day a status-cycle work acts on")


def request_flow(context: Context) -> Timed:
    """The `status-request` flow for every municipality."""
    from flows.status.request_flow import status_request

    def timed() -> dict[str, int | str]:
        outcome = status_request(period=PERIOD, on=_day(context))
        return {"asked": outcome.count("asked"), "not reached": len(outcome.not_reached)}

    return timed


def request_plain(context: Context) -> Timed:
    """What the `status-request` flow does, without Prefect."""
    from flows.common import Outcome, municipality_ids, run_instant
    from flows.status import asking
    from models.settings import get_settings

    def timed() -> dict[str, int | str]:
        at = run_instant(_day(context), get_settings().zone)
        outcome = Outcome()
        for municipality_id in municipality_ids():
            period_id = asking.prepare_requests(
                municipality_id=municipality_id, period_code=PERIOD, at=at
            )
            outcome = outcome.merged(asking.send_requests(period_id=period_id, at=at))
        return {"asked": outcome.count("asked"), "not reached": len(outcome.not_reached)}

    return timed


def remind_flow(context: Context) -> Timed:
    """The `remind` flow for every municipality."""
    from flows.status.remind_flow import remind

    def timed() -> dict[str, int | str]:
        outcome = remind(on=_day(context))
        return {"reminded": outcome.count("reminded"), "escalated": outcome.count("escalated")}

    return timed


def remind_plain(context: Context) -> Timed:
    """What the `remind` flow does, without Prefect."""
    from flows.common import Outcome, municipality_ids, run_instant
    from flows.status import chasing
    from models.settings import get_settings

    def timed() -> dict[str, int | str]:
        at = run_instant(_day(context), get_settings().zone)
        outcome = Outcome()
        for municipality_id in municipality_ids():
            outcome = outcome.merged(chasing.chase_owners(municipality_id=municipality_id, at=at))
        return {"reminded": outcome.count("reminded"), "escalated": outcome.count("escalated")}

    return timed
