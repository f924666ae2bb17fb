from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from fahrplan.demo.play import play
from models.db import reset_engine
from models.settings import get_settings


def test_the_demo_plays_a_whole_quarter_on_the_embedded_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("FAHRPLAN_DATABASE_URL", "FAHRPLAN_OUTBOX_DIR", "FAHRPLAN_REPORT_DIR"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    monkeypatch.setenv("FAHRPLAN_MAIL_URL", "mailto://127.0.0.1:1?from=x@example.org")
    said: list[str] = []
    try:
        play(said.append)
    finally:
        get_settings.cache_clear()
        reset_engine()
    steps = [line for line in said if line.startswith("[")]
    assert len(steps) == 10 and steps[-1].startswith("[10/10] 04.01.2027 report")
    assert "12 owners asked" in steps[1]
    assert "6 of 12 owners answered in the web form" in steps[3]
    assert "escalations" in steps[8] and " 0 escalations" not in steps[8]
    demo = tmp_path / "var" / "demo"
    assert (demo / "fahrplan.sqlite3").exists()
    mails = list((demo / "outbox").glob("*.eml"))
    assert len(mails) > 12, "the mail URL of the environment must not take the demo's mail"
    (pdf,) = list((demo / "reports").rglob("sachstandsbericht-2026-Q4.pdf"))
    text = " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)
    assert "Meerbusch" in text
    assert str(pdf.relative_to(tmp_path)) in said[-1]
