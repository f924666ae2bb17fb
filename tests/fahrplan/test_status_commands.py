from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from fahrplan.cli import main
from models import Measure, StatusReport, StatusRequestItem
from models.db import session_scope
from models.enums import AnswerSource, Health, MeasureStatus
from tests.builders.status_town import asked_town, build_town


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["fahrplan", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_status_set_records_a_phone_answer_and_closes_the_owners_item(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    town, _ = asked_town(date(2026, 5, 15))
    code = town.measure_codes["ben@example.org"][0]
    exit_code, out, err = _run(
        monkeypatch, capsys, "status", "set", code, "--status", "in Umsetzung",
        "--progress", "40", "--comment", "Ausschreibung läuft", "--health", "gefährdet",
        "--forecast", "31.12.2026", "--next-steps", "Vergabe", "--by", "Clara",
    )  # fmt: skip
    assert (exit_code, err) == (0, "")
    assert out.strip() == f"{code}: in_progress, 40% recorded (phone (recorded by Clara))"
    with session_scope() as session:
        report = session.scalars(sa.select(StatusReport)).one()
        assert report.source is AnswerSource.PHONE
        assert report.reported_by == "phone (recorded by Clara)"
        assert (report.achieved, report.next_steps) == ("Ausschreibung läuft", "Vergabe")
        assert report.health is Health.AT_RISK and report.forecast_end_on == date(2026, 12, 31)
        measure = session.scalars(sa.select(Measure).where(Measure.code == code)).one()
        assert (measure.status, measure.progress) == (MeasureStatus.IN_PROGRESS, 40)
        item = session.scalars(
            sa.select(StatusRequestItem).where(StatusRequestItem.measure_id == measure.id)
        ).one()
        assert item.answered_at is not None and item.request.answered_at is not None


def test_status_set_refuses_bad_input_in_one_line_and_writes_nothing(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    town, _ = asked_town(date(2026, 5, 15))
    code = town.measure_codes["anna@example.org"][0]
    exit_code, out, err = _run(
        monkeypatch, capsys, "status", "set", code, "--status", "fertig",
        "--progress", "140", "--forecast", "31.13.2026",
    )  # fmt: skip
    assert exit_code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith('fahrplan: --status: unknown status "fertig"')
    assert "--forecast: 31.13.2026 is not a date: there is no month 13" in err
    assert "--progress: Input should be less than or equal to 100" in err

    exit_code, _, err = _run(
        monkeypatch, capsys, "status", "set", "X-99", "--status", "done", "--progress", "100"
    )
    assert exit_code == 1
    assert err == "fahrplan: no measure 'X-99' in municipality 'default'\n"
    with session_scope() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(StatusReport)) == 0


def test_malformed_period_or_day_is_one_line(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, capsys, "status-request", "--period", "2026-Q5") == (
        1,
        "",
        "fahrplan: --period: period '2026-Q5' is not of the form 2026-Q3\n",
    )
    assert _run(monkeypatch, capsys, "remind", "--on", "2026-02-30") == (
        1,
        "",
        "fahrplan: --on: 2026-02-30 is not a date: February 2026 has 28 days\n",
    )


def test_status_request_and_remind_commands_run_the_flows_into_the_outbox(
    settings_env: Path,
    prefect_harness: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with session_scope() as session:
        build_town(session)
    exit_code, out, _ = _run(monkeypatch, capsys, "status-request", "--period", "2026-Q2")
    assert exit_code == 0
    assert out.splitlines()[-1] == "status-request 2026-Q2: 3 owner(s) asked, 0 asked before"
    assert len(list((settings_env / "outbox").glob("*.eml"))) == 3

    exit_code, out, _ = _run(monkeypatch, capsys, "remind", "--on", "2099-01-05")
    assert exit_code == 0
    assert out.splitlines()[-1] == "remind 2099-01-05: 0 reminded, 0 escalation(s) sent"
