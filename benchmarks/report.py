"""The committee report of 1,000 measures: HTML and PDF/A beside WeasyPrint alone.

    python -m benchmarks.report [--measures 1000] [--repeats 2]

A synthetic town is written into a fresh SQLite file, its quarter frozen into a snapshot,
and then, alternating, timed: rendering the HTML from the snapshot (target under 2 s),
our PDF/A (tagged, target under 20 s), and WeasyPrint writing a plain PDF of the very same
HTML — the baseline, what the PDF costs before our choices (PDF/A, tags) add to it.
Prints a table and merges the figures into benchmarks/results/latest.json (key `report`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from weasyprint import HTML

from benchmarks import results, tables
from benchmarks.figures import median
from benchmarks.synthetic import CatalogueShape, generate
from models.db import reset_engine, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from reports.data import ReportData
from reports.render import html_to_pdf, render_html
from reports.snapshot import take_snapshot

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
    """Measure, write the figures, print the table and the targets."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report")
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = _snapshot(arguments.measures, Path(folder))
    html_seconds, html = _timed(
        lambda: render_html(data, language="de", zone=ZoneInfo("Europe/Berlin")), arguments.repeats
    )
    pdf_seconds, pdf = _timed(lambda: html_to_pdf(html), arguments.repeats)
    plain_seconds, _ = _timed(lambda: HTML(string=html).write_pdf(), arguments.repeats)
    figures = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "measures": len(data.measures),
        "pages": len(PdfReader(BytesIO(pdf)).pages),
        "html_seconds": round(html_seconds, 3),
        "pdf_a_seconds": round(pdf_seconds, 3),
        "weasyprint_plain_seconds": round(plain_seconds, 3),
        "pdf_bytes": len(pdf),
    }
    written = results.save({"report": figures}, results.LATEST, keep_earlier=True)
    print(tables.report_table(figures))
    print("\n" + tables.target_lines(tables.targets([], [], written["report"])))


if __name__ == "__main__":
    main()
