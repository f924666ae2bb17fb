from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.common import NotReachedError
from flows.deadlines.deadlines_flow import DeadlinesOutcome, deadlines
from flows.deadlines.plan import plan_deadlines
from models import Notification
from models.db import session_scope
from models.enums import NotificationOutcome
from models.errors import MunicipalityGoneError
from models.settings import get_settings
from tests.builders import catalogue

ON = date(2026, 3, 30)  # a Monday


def _catalogue(*, ben_apprise: list[str]) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        anna = catalogue.person(session, town, name="Anna Amt", email="anna@example.org")
        ben = catalogue.person(
            session, town, name="Ben Büro", email="ben@example.org", apprise_urls=ben_apprise
        )
        catalogue.person(
            session, town, name="Stabsstelle", email="digital@example.org", is_coordinator=True
        )
        akte = catalogue.measure(session, town, code="V-01", owner_id=anna.id)
        catalogue.milestone(session, akte, date(2026, 3, 29), title="Ausschreibung")
        portal = catalogue.measure(session, town, code="V-02", owner_id=ben.id)
        catalogue.milestone(session, portal, date(2026, 4, 6), title="Go-live")


def _outcomes() -> dict[str, NotificationOutcome]:
    with session_scope() as session:
        rows = session.scalars(sa.select(Notification))
        return {row.recipient: row.outcome for row in rows}


def test_the_flow_sends_once_per_day_and_leaves_a_table(
    prefect_harness: None, settings_env: Path
) -> None:
    _catalogue(ben_apprise=[])
    first = deadlines(on=ON)
    assert (first.digests, first.summaries, first.sent) == (2, 1, 3)
    state = deadlines(on=ON, return_state=True)
    again = state.result()
    assert isinstance(again, DeadlinesOutcome)
    assert (again.sent, again.already_sent) == (0, 3)
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        )
    assert run.name == "deadlines-2026-03-30"
    assert artifact.key == "deadlines" and artifact.type == "table"
    assert "V-01" in str(artifact.data) and "Ausschreibung" in str(artifact.data)
    assert "0 sent now, 3 sent before" in str(artifact.description)


def test_the_run_fails_naming_who_was_not_reached(
    prefect_harness: None, settings_env: Path
) -> None:
    _catalogue(ben_apprise=["nosuchscheme://nowhere"])
    state = deadlines.with_options(retries=0)(on=ON, return_state=True)
    assert state.is_failed()
    error = state.result(raise_on_failure=False)
    assert isinstance(error, NotReachedError)
    assert str(error).startswith("1 recipient(s) not reached: ben@example.org (")
    assert _outcomes() == {
        "anna@example.org": NotificationOutcome.SENT,
        "ben@example.org": NotificationOutcome.FAILED,
        "digital@example.org": NotificationOutcome.SENT,
    }


def test_planning_for_a_municipality_that_vanished_fails_by_name(settings_env: Path) -> None:
    with session_scope() as session:
        town_id = catalogue.municipality(session).id
    plan_deadlines(municipality_id=town_id, on=ON, settings=get_settings())
    with pytest.raises(MunicipalityGoneError, match=f"municipality {town_id + 1} vanished"):
        plan_deadlines(municipality_id=town_id + 1, on=ON, settings=get_settings())
