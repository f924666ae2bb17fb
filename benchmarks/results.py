"""The results file: this run's figures merged into the latest ones of every scale.

`make bench` runs the town and district scales, the state scale runs on its own, and
`python -m benchmarks.report` measures the committee report; latest.json keeps the newest
figures of each scale and database and of the report, each with the time it was measured, so
one file holds the whole picture.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
LATEST = RESULTS / "latest.json"

Result = dict[str, Any]


def _key(record: Result) -> tuple[str, ...]:
    """What a record measured: a step (cycle), a catalogue's load, or the portal."""
    where = (record.get("scale", "portal"), record["database"])
    return (*where, record["step"], record["scope"]) if "step" in record else where


def _merged(old: list[Result], new: list[Result]) -> list[Result]:
    """The new records, and the old ones of every step, scale and database this run did not
    measure (`--step deadlines` runs again only that step)."""
    touched = {_key(record) for record in new}
    return [record for record in old if _key(record) not in touched] + new


def merge(previous: Result | None, run: Result) -> Result:
    """This run's results laid over the previous file's."""
    if previous is None:
        return run
    merged = {**previous, **run}
    for part in ("cycle", "catalogues", "portal"):
        merged[part] = _merged(previous.get(part, []), run.get(part, []))
    return merged


def save(run: Result, path: Path, *, keep_earlier: bool) -> Result:
    """Write the results (merged with what the file held, when asked); what was written."""
    previous = None
    if keep_earlier and path.exists():
        previous = json.loads(path.read_text(encoding="utf-8"))
    written = merge(previous, run)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(written, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return written
