"""A period's report reads the answers recorded up to its closing day, however late it is taken."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from models.db import session_scope
from models.enums import AnswerSource, MeasureStatus
from models.measure import measure_by_code
from models.municipality import municipality_by_slug
from models.status.answers import StatusAnswer, record_answer
from reports.data import MeasureEntry, ReportData
from reports.snapshot import take_snapshot
from tests.builders.report_town import build_catalogue, play_q3

# 2026-Q3 closes on 30.09.2026 (see tests/builders/report_town.py); these come in December.
DECEMBER = datetime(2026, 12, 3, 10, tzinfo=UTC)
LATE_WORDS = "Nachgereicht im Dezember"


@pytest.fixture
def answered_late(settings_env: Path) -> Path:
    build_catalogue()
    play_q3()
    late = {
        # Answered in Q3 (20 %, in progress), then again in December.
        "V-01": StatusAnswer(status=MeasureStatus.DONE, progress=100, achieved=LATE_WORDS),
        # Answered in Q3 (60 %, forecast 31.03.2027, 1.500 € spent), then again in December.
        "V-02": StatusAnswer(
            status=MeasureStatus.IN_PROGRESS,
            progress=80,
            achieved=LATE_WORDS,
            forecast_end_on=date(2027, 9, 30),
            budget_spent=Decimal("2500.00"),
            milestones_reached={},
        ),
        # Not answered in Q3 at all: planned, 0 %.
        "I-01": StatusAnswer(status=MeasureStatus.IN_PROGRESS, progress=50, achieved=LATE_WORDS),
    }
    with session_scope(actor="test") as session:
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        for code, answer in late.items():
            measure = measure_by_code(session=session, municipality_id=town.id, code=code)
            assert measure is not None
            if code == "V-02":
                pilot = next(m for m in measure.milestones if m.title == "Pilotbetrieb")
                answer = answer.model_copy(
                    update={"milestones_reached": {pilot.id: date(2026, 9, 20)}}
                )
            record_answer(
                session=session,
                measure=measure,
                answer=answer,
                source=AnswerSource.PORTAL,
                reported_by="owner",
                at=DECEMBER,
            )
    return settings_env


def _q3(on: date) -> ReportData:
    with session_scope(actor="test") as session:
        snapshot = take_snapshot(
            session=session, municipality_slug="default", period_code="2026-Q3", on=on, force=True
        )
    return snapshot.data


def _entry(data: ReportData, code: str) -> MeasureEntry:
    return next(entry for entry in data.measures if entry.code == code)


def test_an_answer_after_the_closing_day_stays_out_of_the_periods_report(
    answered_late: Path,
) -> None:
    data = _q3(on=date(2026, 12, 4))
    v01, v02, i01 = (_entry(data, code) for code in ("V-01", "V-02", "I-01"))
    assert (v01.status, v01.progress) == (MeasureStatus.IN_PROGRESS, 20)
    assert v01.last_answer is not None and v01.last_answer.progress == 20
    assert v01.finished_on is None
    assert (v02.progress, v02.forecast_end_on, v02.budget_spent) == (
        60,
        date(2027, 3, 31),
        Decimal("1500.00"),
    )
    assert [m.done_on for m in v02.milestones if m.title == "Pilotbetrieb"] == [None]
    assert (i01.status, i01.progress, i01.last_answer) == (MeasureStatus.PLANNED, 0, None)
    assert [u.measure_codes for u in data.not_reported] == [["I-01"]]
    assert data.figures.progress == 45
    assert LATE_WORDS not in data.model_dump_json()


def test_the_next_report_reads_the_late_answers(answered_late: Path) -> None:
    with session_scope(actor="test") as session:
        q4 = take_snapshot(
            session=session,
            municipality_slug="default",
            period_code="2026-Q4",
            on=date(2027, 1, 4),
            force=False,
        ).data
    v01, v02, i01 = (_entry(q4, code) for code in ("V-01", "V-02", "I-01"))
    assert (v01.status, v01.progress) == (MeasureStatus.DONE, 100)
    assert (v02.progress, v02.budget_spent) == (80, Decimal("2500.00"))
    assert [m.done_on for m in v02.milestones if m.title == "Pilotbetrieb"] == [date(2026, 9, 20)]
    assert i01.last_answer is not None and i01.last_answer.achieved == LATE_WORDS
