from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import Measure, StatusReport, StatusRequest
from models.db import session_scope
from models.enums import AnswerSource, Health, MeasureStatus
from models.errors import UserError
from models.status.answers import StatusAnswer, hash_token, new_token, record_answer
from tests.builders import catalogue, status


def test_tokens_are_long_random_and_stored_only_as_hash() -> None:
    token, digest = new_token()
    assert len(token) >= 43
    assert digest == hash_token(token) != token
    assert len(digest) == 64
    assert new_token()[0] != token


def _asked(session: sa.orm.Session) -> tuple[StatusRequest, list[Measure]]:
    town = catalogue.municipality(session)
    owner = catalogue.person(session, town)
    measures = [catalogue.measure(session, town, owner_id=owner.id) for _ in range(2)]
    period = status.period(session, town, "2026-Q3")
    request = status.status_request(session, period, owner, measures=measures)
    return request, measures


def test_an_answer_updates_the_measure_and_closes_the_request_when_all_are_answered(
    settings_env: Path,
) -> None:
    answer = StatusAnswer(
        status=MeasureStatus.IN_PROGRESS,
        health=Health.AT_RISK,
        progress=45,
        risks="Lieferverzug",
        budget_spent=Decimal("1234.56"),
    )
    with session_scope() as session:
        request, (first, second) = _asked(session)
        milestone = catalogue.milestone(session, first, date(2026, 8, 1))
        record_answer(
            session=session,
            measure=first,
            answer=answer.model_copy(
                update={"milestones_reached": {milestone.id: date(2026, 8, 3)}}
            ),
            source=AnswerSource.PORTAL,
            reported_by="owner@example.org",
        )
        assert request.answered_at is None
        assert first.progress == 45 and first.health is Health.AT_RISK
        assert milestone.done_on == date(2026, 8, 3)
        record_answer(
            session=session,
            measure=second,
            answer=answer,
            source=AnswerSource.PHONE,
            reported_by="coordinator@example.org",
            at=datetime.now(UTC) + timedelta(minutes=1),
        )
        assert request.answered_at is not None
        reports = session.scalars(sa.select(StatusReport).order_by(StatusReport.id)).all()
        assert [r.period_id for r in reports] == [request.period_id] * 2
        assert reports[0].milestones_reached == [
            {"milestone_id": milestone.id, "done_on": "2026-08-03"}
        ]


def test_a_milestone_of_another_measure_is_refused_and_nothing_is_recorded(
    settings_env: Path,
) -> None:
    with pytest.raises(UserError), session_scope() as session:
        _, (first, second) = _asked(session)
        foreign = catalogue.milestone(session, second, date(2026, 8, 1))
        record_answer(
            session=session,
            measure=first,
            answer=StatusAnswer(
                status=MeasureStatus.DONE,
                progress=100,
                milestones_reached={foreign.id: date(2026, 8, 1)},
            ),
            source=AnswerSource.API,
            reported_by="owner@example.org",
        )
    with session_scope() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(StatusReport)) == 0


def test_answer_limits_are_enforced() -> None:
    with pytest.raises(ValueError, match="progress"):
        StatusAnswer(status=MeasureStatus.DONE, progress=101)
    with pytest.raises(ValueError, match="achieved"):
        StatusAnswer(status=MeasureStatus.DONE, progress=1, achieved="x" * 4001)


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b"])
def test_text_that_cannot_be_stored_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="risks"):
        StatusAnswer(status=MeasureStatus.DONE, progress=1, risks=text)
