"""The report and its delivery follow the committee's meetings in the council system (OParl).

The catalogue's committee has the typed meeting 20.10.2026; its council system lists the
meetings the tests give it, and moves, cancels or goes down between runs.
"""

from __future__ import annotations

import email
import logging
from datetime import date
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from pypdf import PdfReader
from sqlalchemy import select

from flows.report.produce import read_council_systems
from flows.report.report_flow import report
from models import Committee
from models.db import session_scope
from models.settings import get_settings
from tests.builders.report_town import Q3_DAY, build_catalogue, play_q3
from tests.loopback import OparlServer


def _text(pdf: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)


@pytest.fixture
def town(settings_env: Path, oparl_server: OparlServer) -> Path:
    build_catalogue()
    play_q3()
    with session_scope() as session:
        committee = session.scalars(select(Committee)).one()
        committee.oparl_url = oparl_server.organization_url
    oparl_server.add(1, "2026-09-17T17:00:00+02:00")
    oparl_server.add(2, "2026-10-13T17:00:00+02:00", cancelled=True)
    oparl_server.add(3, "2026-10-27T17:00:00+01:00")
    oparl_server.add(4, "2026-12-03T17:00:00+01:00")
    return settings_env


def _cover(town: Path) -> str:
    folder = town / "reports" / "default" / "2026-Q3"
    html = (folder / "sachstandsbericht-2026-Q3.html").read_text(encoding="utf-8")
    pdf = _text(folder / "sachstandsbericht-2026-Q3.pdf")
    assert "Ausschuss für Digitalisierung, nächste Sitzung am" in pdf
    return pdf.split("Vorgelegt dem", 1)[1][:80] + " | " + html


def test_the_cover_names_the_next_meeting_the_council_system_lists(
    town: Path, prefect_harness: None, oparl_server: OparlServer
) -> None:
    outcome = report(period="2026-Q3", on=Q3_DAY)
    (reading,) = outcome.council["default"]
    assert reading.ok and reading.meetings == 4
    cover = _cover(town)
    # Not the typed 20.10., which the council system's list covers; not the cancelled 13.10.
    assert "nächste Sitzung am 27.10.2026" in cover
    assert "20.10.2026" not in cover and "13.10.2026" not in cover
    pages = [path for path in oparl_server.requests if "/meetings" in path]
    assert pages[-1].endswith("?page=2"), "the second page of the meeting list was read"


def _mails(outbox: Path) -> list[EmailMessage]:
    mails = []
    for path in sorted(outbox.glob("*.eml")):
        mail = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(mail, EmailMessage)
        mails.append(mail)
    return mails


def test_the_delivery_day_follows_a_moved_meeting_and_skips_a_cancelled_one(
    town: Path,
    prefect_harness: None,
    oparl_server: OparlServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAHRPLAN_REPORT_DAYS_BEFORE_MEETING", "14")
    get_settings.cache_clear()
    outbox = town / "outbox"
    # 14 days before 27.10. (13.10. is cancelled; the typed 20.10. is covered) is 13.10.
    assert report(on=date(2026, 10, 12), scheduled=True).not_due == ["default"]
    oparl_server.move(3, "2026-11-10T17:00:00+01:00")
    # Moved to 10.11.: the report is now due on 27.10., not on 13.10.
    assert report(on=date(2026, 10, 13), scheduled=True).not_due == ["default"]
    assert not list(outbox.glob("*.eml"))
    due = report(on=date(2026, 10, 27), scheduled=True)
    assert due.delivered == {"default": 2}
    for mail in _mails(outbox):
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        assert "Der Bericht ist für die Sitzung am 10.11.2026 bestimmt." in body.get_content()


def test_while_the_council_system_is_down_the_last_known_dates_are_used_and_said(
    town: Path,
    prefect_harness: None,
    oparl_server: OparlServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (good,) = read_council_systems("default")
    assert good.ok and good.known_since is not None
    oparl_server.move(3, "2026-11-10T17:00:00+01:00")
    oparl_server.stop()
    with caplog.at_level(logging.WARNING):
        state = report(period="2026-Q3", on=Q3_DAY, return_state=True)
    assert state.is_completed()
    outcome = state.result()
    (down,) = outcome.council["default"]
    assert not down.ok and down.known_since == good.known_since
    note = down.note(get_settings().zone)
    assert note.startswith(
        "Ausschuss für Digitalisierung: council system not read, "
        f"{oparl_server.organization_url}: cannot be reached"
    )
    read_at = good.known_since.astimezone(get_settings().zone)
    assert note.endswith(f"; using the dates read on {read_at:%Y-%m-%d %H:%M}")
    assert note in caplog.text
    run = ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=run))
    assert f"- default: {note}" in str(artifact.data)
    # The dates read before the council system went down: the meeting was not seen to move.
    assert "nächste Sitzung am 27.10.2026" in _cover(town)
