"""The load generator: `python -m benchmarks.loadgen BASE_URL PLAN.json`, one process of its own.

Every owner of the plan is one asyncio task with its own httpx client and connection; all
start together and each posts its answers `rounds` times, one after the other, to
`POST /api/v1/status/{token}`. Bounded: one connection per owner, a timeout per request and
one for the whole run. Prints one
JSON line: the wall time, every latency, the status codes and how many answers were recorded.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx
from pydantic import BaseModel

REQUEST_TIMEOUT = 60.0
RUN_TIMEOUT = 900.0


class Owner(BaseModel):
    """One owner's link token and the measures their request asks about."""

    token: str
    measure_ids: list[int]


class Plan(BaseModel):
    """Who submits, and how often."""

    owners: list[Owner]
    rounds: int


class Load(BaseModel):
    """What the load generator saw."""

    seconds: float
    latencies: list[float]
    statuses: dict[str, int]
    answers_sent: int
    answers_recorded: int


def submission(owner: Owner, round_number: int) -> dict[str, object]:
    """The answers an owner sends in one round: every measure, a little further each time."""
    return {
        "answers": [
            {
                "measure_id": measure_id,
                "status": "in_progress",
                "health": "on_track",
                "progress": (round_number * 10 + measure_id) % 100,
                "achieved": f"Runde {round_number}: Ausschreibung vorbereitet <b>&</b> versandt.",
                "next_steps": "Angebote prüfen, Vergabe im Ausschuss.",
            }
            for measure_id in owner.measure_ids
        ]
    }


async def _owner(
    base_url: str, owner: Owner, rounds: int, start: asyncio.Event, seen: Load
) -> None:
    # A client (and connection) of its own, as each owner has: one pool shared by hundreds of
    # connections costs the load generator more than the server spends on a bare request.
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        await _submit(client, owner, rounds, start, seen)


async def _submit(
    client: httpx.AsyncClient, owner: Owner, rounds: int, start: asyncio.Event, seen: Load
) -> None:
    await start.wait()
    for round_number in range(rounds):
        body = submission(owner, round_number)
        began = time.perf_counter()
        response = await client.post(f"/api/v1/status/{owner.token}", json=body)
        seen.latencies.append(time.perf_counter() - began)
        seen.statuses[str(response.status_code)] = (
            seen.statuses.get(str(response.status_code), 0) + 1
        )
        seen.answers_sent += len(owner.measure_ids)
        if response.status_code == 200:
            seen.answers_recorded += len(response.json().get("recorded", owner.measure_ids))


async def drive(base_url: str, plan: Plan) -> Load:
    """All owners at once; the wall time runs from the start signal to the last answer."""
    seen = Load(seconds=0, latencies=[], statuses={}, answers_sent=0, answers_recorded=0)
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(_owner(base_url, owner, plan.rounds, start, seen))
        for owner in plan.owners
    ]
    await asyncio.sleep(0.1)
    began = time.perf_counter()
    start.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=RUN_TIMEOUT)
    seen.seconds = time.perf_counter() - began
    return seen


def main() -> None:
    """Drive the plan against the server and print what was seen."""
    base_url, plan_path = sys.argv[1], Path(sys.argv[2])
    plan = Plan.model_validate_json(plan_path.read_text(encoding="utf-8"))
    print(json.dumps(asyncio.run(drive(base_url, plan)).model_dump()), flush=True)


if __name__ == "__main__":
    main()
