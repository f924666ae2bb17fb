"""The committee report of 1,000 measures: HTML and PDF/A beside WeasyPrint alone.

    python -m benchmarks.report [--measures 1000] [--repeats 2]

A synthetic town is written into a fresh SQLite file, its quarter frozen into a snapshot,
and then, alternating, timed: rendering the HTML from the snapshot (target under 2 s),
our PDF/A (tagged, target under 20 s), and WeasyPrint writing a plain PDF of the very same
HTML — the baseline, what the PDF costs before our choices (PDF/A, tags) add to it.
Prints a table and writes benchmarks/results/report.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from weasyprint import HTML

from benchmarks.figures import median
from benchmarks.synthetic import CatalogueShape, generate
from models.db import reset_engine, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from reports.data import ReportData
from reports.render import html_to_pdf, render_html
from reports.snapshot import take_snapshot

RESULTS = Path(__file__).with_name("results")
ON = date(2026, 10, 1)


def _snapshot(measures: int, folder: Path) -> ReportData:
    url = f"sqlite:///{folder / 'report.sqlite3'}"
    os.environ["FAHRPLAN_DATABASE_URL"] = url
    get_settings.cache_clear()
    reset_engine()
    upgrade(url)
    with session_scope() as session:
        generate(session=session, shape=CatalogueShape(measures=measures, owners=50))
    with session_scope() as session:
        taken = take_snapshot(
            session=session,
            municipality_slug="synthetic-1",
            period_code="2026-Q3",
            on=ON,
            force=True,
        )
    return taken.data


def _timed(work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    seconds, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return median(seconds), result


def main() -> None:
    """Measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report")
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = _snapshot(arguments.measures, Path(folder))
    html_seconds, html = _timed(lambda: render_html(data, language="de"), arguments.repeats)
    pdf_seconds, pdf = _timed(lambda: html_to_pdf(html), arguments.repeats)
    plain_seconds, _ = _timed(lambda: HTML(string=html).write_pdf(), arguments.repeats)
    figures = {
        "measures": len(data.measures),
        "html_seconds": round(html_seconds, 3),
        "pdf_a_seconds": round(pdf_seconds, 3),
        "weasyprint_plain_seconds": round(plain_seconds, 3),
        "pdf_bytes": len(pdf),
        "targets": {"html_under_2_s": html_seconds < 2, "pdf_under_20_s": pdf_seconds < 20},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print("| measures | HTML s | PDF/A s (ours) | WeasyPrint plain PDF s | × |")
    print("| --- | --- | --- | --- | --- |")
    ratio = pdf_seconds / plain_seconds if plain_seconds else 0
    print(
        f"| {figures['measures']} | {html_seconds:.2f} | {pdf_seconds:.2f} | "
        f"{plain_seconds:.2f} | {ratio:.2f} |"
    )


if __name__ == "__main__":
    main()
