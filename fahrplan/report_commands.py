"""`fahrplan report`: run the report flow and say where the files are."""

from __future__ import annotations

from pathlib import Path

from fahrplan.flow_runs import run_flow
from fahrplan.options import parse_day, parse_period
from flows.report.report_flow import report
from models.settings import get_settings


def run_report(
    *,
    period: str | None,
    on: str | None,
    out: Path | None,
    public: bool,
    force: bool,
    deliver: bool,
) -> str:
    """Render (and with `deliver` send) the report; the lines to print."""
    outcome = run_flow(
        report,
        period=parse_period(period),
        on=parse_day(on),
        out=str(out) if out else None,
        public=public,
        force=force,
        deliver=deliver,
    )
    zone = get_settings().zone
    lines = [
        f"warning: {reading.note(zone)}"
        for readings in outcome.council.values()
        for reading in readings
        if not reading.ok
    ]
    for produced in outcome.produced:
        frozen = "frozen snapshot re-rendered" if produced.reused else "new snapshot"
        lines.append(f"{produced.municipality} {produced.period_code} ({frozen}):")
        lines += [f"  {path}" for path in produced.files]
        if produced.slug in outcome.delivered:
            lines.append(f"  sent to {outcome.delivered[produced.slug]} committee member(s)")
        if produced.slug in outcome.not_asked:
            lines.append(
                f"  not sent: no status requests went out for {produced.period_code}; "
                f"to send it anyway: fahrplan report --deliver --period {produced.period_code}"
            )
    return "\n".join(lines)
