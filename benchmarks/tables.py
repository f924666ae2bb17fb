"""The results as tables (Markdown, readable in a terminal too) and the targets checked on them.

Everything here reads the JSON form of the results, so the tables in docs/benchmarks.md can be
printed from benchmarks/results/latest.json, which merges the latest run of every scale.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from benchmarks.figures import Target
from benchmarks.scales import IMPORT_LIMIT_ROWS

Result = dict[str, Any]
SCALE_ORDER = {"tiny": 0, "town": 1, "district": 2, "state": 3, "import-limit": 4}
OVERHEAD_SCALE = "district"
STATE_DEADLINES_SECONDS = 60.0
# The largest import allowed on two cores: its time and the process's peak. When the
# machine's load was above two, the cores were busy with others' work: its CPU time is
# what the import took of them.
IMPORT_LIMIT_SECONDS = 60.0
IMPORT_LIMIT_PEAK_MB = 400.0
IMPORT_LIMIT_CORES = 2
# Scales that measure some steps alone, at sizes of their own: not points on a growth line.
APART = ("tiny", "import-limit")
# Below this, what a step adds to the peak is the allocator's noise, not the catalogue's size.
MEMORY_FLOOR_MB = 4.0
# Linear within the noise of a process's peak: two runs of the same work differ by a few
# per cent, while n·log n from 15,000 to 200,000 measures would be 27 % above linear.
MEMORY_SLACK = 1.1


def _order(record: Result) -> tuple[int, str, int]:
    return (SCALE_ORDER.get(record["scale"], 9), record["database"], 0)


def seconds(value: float) -> str:
    """Wall time with the digits that mean something at its size."""
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def cycle_table(records: list[Result], catalogues: list[Result]) -> str:
    """Every step beside its baseline: medians of wall time and of peak RSS."""
    header = [
        "scale",
        "db",
        "step",
        "scope",
        "measured",
        "s",
        "baseline",
        "s",
        "×",
        "target",
        "peak MB",
        "baseline peak MB",
    ]
    lines = [_row(header), _row("---" for _ in header)]
    for record in sorted(records, key=_order):
        measured, baseline = record["measured"], record["baseline"]
        target = f"≤ {record['target_ratio']}×" if record["target_ratio"] else ""
        lines.append(
            _row(
                [
                    f"{record['scale']} ({record['measures']:,})",
                    record["database"],
                    record["step"],
                    record["scope"],
                    measured["label"],
                    seconds(measured["seconds"]),
                    baseline["label"],
                    seconds(baseline["seconds"]),
                    f"{record['ratio']:.2f}",
                    target,
                    f"{measured['peak_mb']:.0f}",
                    f"{baseline['peak_mb']:.0f}",
                ]
            )
        )
    loads = [
        f"{c['scale']}/{c['database']}: {c['measures']:,} measures bulk-loaded in "
        f"{c['load_seconds']:.1f} s"
        for c in sorted(catalogues, key=_order)
    ]
    return "\n".join(lines + (["", *loads] if loads else []))


def portal_table(records: list[Result]) -> str:
    """Latency and throughput of the portal beside the bare endpoint, and lost answers."""
    header = [
        "db",
        "owners × rounds",
        "portal p50 ms",
        "p99 ms",
        "submissions/s",
        "bare p50 ms",
        "p99 ms",
        "submissions/s",
        "answers sent",
        "stored",
        "lost",
    ]
    lines = [_row(header), _row("---" for _ in header)]
    for record in records:
        portal, bare = record["portal"], record["bare"]
        lines.append(
            _row(
                [
                    record["database"],
                    f"{record['owners']} × {record['rounds']}",
                    portal["p50_ms"],
                    portal["p99_ms"],
                    portal["submissions_per_second"],
                    bare["p50_ms"],
                    bare["p99_ms"],
                    bare["submissions_per_second"],
                    record["answers_sent"],
                    record["answers_stored"],
                    record["lost"],
                ]
            )
        )
    return "\n".join(lines)


def _ratio_targets(records: list[Result]) -> list[Target]:
    found = []
    for record in sorted(records, key=_order):
        limit = record["target_ratio"]
        overhead = record["measured"]["label"] == "flow"
        if limit is None or (overhead and record["scale"] != OVERHEAD_SCALE):
            continue
        what = "orchestration overhead" if overhead else "deadline query vs SQL"
        found.append(
            Target(
                name=f"{what}: {record['step']} ({record['scope']}), "
                f"{record['scale']}/{record['database']} ≤ {limit}×",
                figure=f"{record['ratio']:.2f}× ({seconds(record['measured']['seconds'])} s vs "
                f"{seconds(record['baseline']['seconds'])} s)",
                met=record["ratio"] <= limit,
            )
        )
    return found


def _state_deadlines(records: list[Result]) -> list[Target]:
    """The deadline check at state scale: the query over every town, and the whole flow."""
    found = []
    for record in records:
        if record["scale"] != "state" or record["scope"] != "all":
            continue
        if record["step"] not in ("deadlines", "deadline query"):
            continue
        measured = record["measured"]["seconds"]
        found.append(
            Target(
                name=f"state-scale {record['step']} ({record['measured']['label']}, "
                f"{record['database']}) < {STATE_DEADLINES_SECONDS:.0f} s",
                figure=f"{seconds(measured)} s ({record['baseline']['label']}: "
                f"{seconds(record['baseline']['seconds'])} s)",
                met=measured < STATE_DEADLINES_SECONDS,
            )
        )
    return found


def _memory(records: list[Result]) -> list[Target]:
    """Per step and side: what the work adds to the peak grows no faster than the catalogue."""
    series: dict[tuple[str, str, str, str], list[Result]] = {}
    for record in records:
        if record["scale"] in APART:
            continue
        for side in ("measured", "baseline"):
            key = (record["database"], record["step"], record["scope"], record[side]["label"])
            series.setdefault(key, []).append({"measures": record["measures"], **record[side]})
    found = []
    for (database, step, scope, label), points in sorted(series.items()):
        points.sort(key=lambda point: point["measures"])
        for small, large in itertools.pairwise(points):
            growth = max(large["own_mb"], MEMORY_FLOOR_MB) / max(small["own_mb"], MEMORY_FLOOR_MB)
            size = large["measures"] / small["measures"]
            found.append(
                Target(
                    name=f"memory linear: {step} ({scope}), {label}, {database}, "
                    f"{small['measures']:,} → {large['measures']:,} measures",
                    figure=f"{small['own_mb']:.1f} → {large['own_mb']:.1f} MB "
                    f"(×{growth:.1f} for ×{size:.0f})",
                    met=growth <= size * MEMORY_SLACK,
                )
            )
    return found


def _import_limit(records: list[Result]) -> list[Target]:
    """The largest import allowed, read, checked and written in time and memory."""
    found = []
    for record in sorted(records, key=_order):
        if record["scale"] != "import-limit" or record["step"] != "import":
            continue
        measured, baseline = record["measured"], record["baseline"]
        name = f"import of {IMPORT_LIMIT_ROWS:,} rows ({measured['label']}, {record['database']})"
        busy = measured.get("load", 0.0) > IMPORT_LIMIT_CORES
        taken = measured.get("cpu_seconds", 0.0) if busy else measured["seconds"]
        note = f"; judged by CPU time, load was {measured['load']:.1f}" if busy else ""
        found += [
            Target(
                name=f"{name} < {IMPORT_LIMIT_SECONDS:.0f} s",
                figure=f"{seconds(measured['seconds'])} s wall, "
                f"{seconds(measured.get('cpu_seconds', 0.0))} s CPU{note} "
                f"({baseline['label']}: {seconds(baseline['seconds'])} s)",
                met=taken < IMPORT_LIMIT_SECONDS,
            ),
            Target(
                name=f"{name}: peak ≤ {IMPORT_LIMIT_PEAK_MB:.0f} MB",
                figure=f"{measured['peak_mb']:.0f} MB ({baseline['label']}: "
                f"{baseline['peak_mb']:.0f} MB)",
                met=measured["peak_mb"] <= IMPORT_LIMIT_PEAK_MB,
            ),
        ]
    return found


def _answers(portal: list[Result]) -> list[Target]:
    return [
        Target(
            name=f"portal ({record['database']}): no answer lost",
            figure=f"{record['answers_stored']} of {record['answers_sent']} answers stored",
            met=record["lost"] == 0,
        )
        for record in portal
    ]


def _report(report: Result | None) -> list[Target]:
    if report is None:
        return []
    return [
        Target(
            name=f"report of {report['measures']:,} measures: {what} < {limit} s",
            figure=f"{seconds(report[key])} s (WeasyPrint alone, plain PDF: "
            f"{seconds(report['weasyprint_plain_seconds'])} s)",
            met=report[key] < limit,
        )
        for what, key, limit in (("HTML", "html_seconds", 2), ("PDF/A", "pdf_a_seconds", 20))
    ]


def report_table(report: Result) -> str:
    """The committee report's figures beside WeasyPrint alone, as a Markdown table."""
    ratio = report["pdf_a_seconds"] / report["weasyprint_plain_seconds"]
    return (
        "| measures | pages | HTML s | PDF/A s (ours, tagged) "
        "| WeasyPrint plain PDF of the same HTML s | × |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        f"| {report['measures']:,} | {report.get('pages', '')} | {seconds(report['html_seconds'])} "
        f"| {seconds(report['pdf_a_seconds'])} | {seconds(report['weasyprint_plain_seconds'])} "
        f"| {ratio:.2f} |"
    )


def targets(
    records: list[Result], portal: list[Result], report: Result | None = None
) -> list[Target]:
    """Every target of the issue that the results can say something about."""
    return (
        _ratio_targets(records)
        + _state_deadlines(records)
        + _import_limit(records)
        + _memory(records)
        + _answers(portal)
        + _report(report)
    )


def target_lines(found: list[Target]) -> str:
    """One line per target: met or missed, with its figure."""
    return "\n".join(
        f"- {'met' if target.met else 'MISSED'}: {target.name}: {target.figure}" for target in found
    )
