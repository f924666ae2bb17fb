from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from models.db import session_scope
from models.enums import Health, MaturityModel, MeasureStatus, MilestoneKind
from models.health import (
    HealthFacts,
    MilestoneFacts,
    OzgServiceFacts,
    assess_health,
    health_facts,
    measure_health,
)
from models.measure import measures_of
from tests.builders import catalogue, ozg, status

ON = date(2026, 11, 2)


def _milestone(due: date, kind: MilestoneKind = MilestoneKind.INTERNAL) -> MilestoneFacts:
    return MilestoneFacts(title="Ausschreibung", due_on=due, kind=kind)


def test_no_warning_sign_is_on_track() -> None:
    facts = HealthFacts(status=MeasureStatus.IN_PROGRESS, ends_on=date(2027, 6, 30))
    assert assess_health(facts, on=ON).derived is Health.ON_TRACK


def test_one_sign_is_at_risk_two_are_off_track() -> None:
    one = HealthFacts(status=MeasureStatus.IN_PROGRESS, milestones=[_milestone(date(2026, 11, 1))])
    assert assess_health(one, on=ON).derived is Health.AT_RISK
    two = one.model_copy(update={"unanswered_periods": 2})
    assessed = assess_health(two, on=ON)
    assert assessed.derived is Health.OFF_TRACK
    assert len(assessed.reasons) == 2


def test_overdue_legal_milestone_is_off_track_at_once() -> None:
    facts = HealthFacts(
        status=MeasureStatus.IN_PROGRESS,
        milestones=[_milestone(date(2026, 10, 1), MilestoneKind.OZG)],
    )
    assert assess_health(facts, on=ON).derived is Health.OFF_TRACK


def test_reported_health_counts_only_with_a_reason() -> None:
    facts = HealthFacts(
        status=MeasureStatus.IN_PROGRESS,
        forecast_end_on=date(2027, 9, 1),
        ends_on=date(2027, 6, 30),
        reported=Health.ON_TRACK,
    )
    without_reason = assess_health(facts, on=ON)
    assert (without_reason.derived, without_reason.effective) == (Health.AT_RISK, Health.AT_RISK)
    with_reason = assess_health(
        facts.model_copy(update={"reported_reason": "Verlängerung vom Rat beschlossen"}), on=ON
    )
    assert (with_reason.derived, with_reason.effective) == (Health.AT_RISK, Health.ON_TRACK)


def test_done_measures_are_on_track_whatever_their_dates() -> None:
    facts = HealthFacts(status=MeasureStatus.DONE, ends_on=date(2025, 1, 1))
    assert assess_health(facts, on=ON).derived is Health.ON_TRACK


def test_facts_count_unanswered_periods_in_a_row(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        owner = catalogue.person(session, town)
        measure = catalogue.measure(session, town, owner_id=owner.id)
        for number, answered in ((1, True), (2, False), (3, False)):
            status.status_request(
                session,
                status.period(session, town, f"2026-Q{number}"),
                owner,
                measures=[measure],
                expires_at=datetime(2027, 1, 1, tzinfo=UTC),
                answered_at=datetime(2026, 1, 5, tzinfo=UTC) if answered else None,
            )
        facts = health_facts(
            session=session, measures=measures_of(session=session, municipality_id=town.id)
        )
        assert facts[measure.id].unanswered_periods == 2
        assert assess_health(facts[measure.id], on=ON).derived is Health.AT_RISK


def _wohngeld(due: date, current: int, target: int = 3) -> OzgServiceFacts:
    return OzgServiceFacts(
        ozg_id="10218",
        name="Wohngeld",
        due_on=due,
        maturity_current=current,
        maturity_target=target,
    )


def test_an_ozg_service_below_target_after_its_deadline_is_off_track() -> None:
    behind = HealthFacts(
        status=MeasureStatus.IN_PROGRESS, ozg_services=[_wohngeld(date(2022, 12, 31), 2)]
    )
    assessed = assess_health(behind, on=ON)
    assert assessed.derived is Health.OFF_TRACK
    assert assessed.reasons == [
        "OZG service 10218 Wohngeld below target maturity 3 since 2022-12-31"
    ]
    reached = behind.model_copy(update={"ozg_services": [_wohngeld(date(2022, 12, 31), 3)]})
    assert assess_health(reached, on=ON).derived is Health.ON_TRACK
    not_yet = behind.model_copy(update={"ozg_services": [_wohngeld(date(2026, 12, 31), 2)]})
    assert assess_health(not_yet, on=ON).derived is Health.ON_TRACK


def test_a_graver_report_stands_without_a_reason() -> None:
    facts = HealthFacts(status=MeasureStatus.IN_PROGRESS, reported=Health.OFF_TRACK)
    assessed = assess_health(facts, on=ON)
    assert (assessed.derived, assessed.reported, assessed.effective) == (
        Health.ON_TRACK,
        Health.OFF_TRACK,
        Health.OFF_TRACK,
    )


def test_a_reason_no_longer_counts_once_the_owner_stopped_answering() -> None:
    facts = HealthFacts(
        status=MeasureStatus.IN_PROGRESS,
        forecast_end_on=date(2027, 9, 1),
        ends_on=date(2027, 6, 30),
        reported=Health.ON_TRACK,
        reported_reason="Verlängerung vom Rat beschlossen",
        unanswered_periods=2,
    )
    assessed = assess_health(facts, on=ON)
    assert (assessed.derived, assessed.effective) == (Health.OFF_TRACK, Health.OFF_TRACK)


def test_measure_health_of_a_municipality_loads_ozg_services(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        behind = catalogue.measure(session, town, code="V-01")
        catalogue.measure(session, town, code="V-02")
        catalogue.measure(session, town, code="V-03", status=MeasureStatus.DONE)
        ozg.ozg_service(
            session,
            town,
            ozg_id="10218",
            name="Wohngeld",
            measure_id=behind.id,
            maturity_model=MaturityModel.V2_0,
            maturity_current=2,
            maturity_target=3,
        )
        found = measure_health(session=session, municipality_id=town.id, on=ON)
    assert [(item.code, item.assessment.derived) for item in found] == [
        ("V-01", Health.OFF_TRACK),
        ("V-02", Health.ON_TRACK),
    ]
