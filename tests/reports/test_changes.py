"""Changes since the previous report: status transitions, new delays, new risks."""

from __future__ import annotations

from datetime import date

from models.enums import Health, MeasureStatus
from reports.changes import compare
from reports.data import DelayChange, MeasureEntry, ReportData, RiskChange, StatusChange
from tests.builders import report

THEN = date(2026, 7, 1)
NOW = date(2026, 10, 1)


def _previous(*measures: MeasureEntry) -> ReportData:
    return report.report_data(measures, period_code="2026-Q2", as_of=THEN)


def test_nothing_to_compare_without_a_previous_report() -> None:
    changes = compare([report.measure("V-01")], on=NOW, previous=None)
    assert changes.previous_period is None
    assert (changes.status, changes.delays, changes.risks) == ([], [], [])


def test_status_changes_and_new_measures_are_listed_unchanged_ones_not() -> None:
    previous = _previous(
        report.measure("V-01", status=MeasureStatus.PLANNED),
        report.measure("V-02"),
        report.measure("V-03"),  # gone from the catalogue since
    )
    now = [
        report.measure("V-01", title="E-Akte"),
        report.measure("V-02"),
        report.measure("N-01", title="Neu", status=MeasureStatus.PLANNED),
    ]
    changes = compare(now, on=NOW, previous=previous)
    assert changes.previous_period == "2026-Q2"
    assert changes.status == [
        StatusChange(
            code="V-01",
            title="E-Akte",
            before=MeasureStatus.PLANNED,
            after=MeasureStatus.IN_PROGRESS,
        ),
        StatusChange(code="N-01", title="Neu", before=None, after=MeasureStatus.PLANNED),
    ]


def test_a_later_expected_end_is_a_delay_an_earlier_one_is_not() -> None:
    planned = {"ends_on": date(2026, 12, 31)}
    previous = _previous(report.measure("V-01", **planned), report.measure("V-02", **planned))
    now = [
        report.measure("V-01", forecast_end_on=date(2027, 3, 31), **planned),
        report.measure("V-02", forecast_end_on=date(2026, 11, 30), **planned),
    ]
    assert compare(now, on=NOW, previous=previous).delays == [
        DelayChange(
            code="V-01",
            title="Maßnahme V-01",
            kind="end",
            before=date(2026, 12, 31),
            after=date(2027, 3, 31),
        )
    ]


def test_moved_and_newly_overdue_milestones_are_delays_old_ones_are_not_repeated() -> None:
    before = [
        report.milestone("Pilot", date(2026, 11, 1)),
        report.milestone("Vergabe", date(2026, 9, 1)),
        report.milestone("Altlast", date(2026, 6, 1)),  # overdue at the last report already
        report.milestone("Abnahme", date(2026, 8, 1)),
    ]
    now = [
        report.milestone("Pilot", date(2026, 12, 1)),
        report.milestone("Vergabe", date(2026, 9, 1)),
        report.milestone("Altlast", date(2026, 6, 1)),
        report.milestone("Abnahme", date(2026, 8, 1), done_on=date(2026, 7, 30)),
        report.milestone("Förderantrag", date(2026, 9, 20)),  # new, and overdue
    ]
    changes = compare(
        [report.measure("V-01", milestones=now)],
        on=NOW,
        previous=_previous(report.measure("V-01", milestones=before)),
    )
    common = {"code": "V-01", "title": "Maßnahme V-01"}
    assert changes.delays == [
        DelayChange(kind="milestone_moved", milestone="Pilot", before=date(2026, 11, 1),
                    after=date(2026, 12, 1), **common),
        DelayChange(kind="milestone_overdue", milestone="Vergabe", before=None,
                    after=date(2026, 9, 1), **common),
        DelayChange(kind="milestone_overdue", milestone="Förderantrag", before=None,
                    after=date(2026, 9, 20), **common),
    ]  # fmt: skip


def test_graver_health_and_newly_named_risks_are_new_risks() -> None:
    named = report.answer(risks="Lieferverzug")
    previous = _previous(
        report.measure("V-01"),
        report.measure("V-02", last_answer=named),
        report.measure("V-03", last_answer=named),
        report.measure("V-04", health=report.health(Health.OFF_TRACK)),
        report.measure("V-05"),
    )
    now = [
        report.measure("V-01", health=report.health(Health.AT_RISK)),  # worse
        report.measure("V-02", last_answer=report.answer(risks="Personalmangel")),  # newly named
        report.measure("V-03", last_answer=named),  # named before: not new
        report.measure("V-04", health=report.health(Health.AT_RISK)),  # better
        report.measure("V-05", status=MeasureStatus.DONE, health=report.health(Health.AT_RISK)),
        report.measure("N-01", health=report.health(Health.OFF_TRACK)),  # new and off track
        report.measure("N-02"),  # new and on track
    ]
    assert compare(now, on=NOW, previous=previous).risks == [
        RiskChange(code="V-01", title="Maßnahme V-01", before=Health.ON_TRACK,
                   after=Health.AT_RISK),
        RiskChange(code="V-02", title="Maßnahme V-02", before=Health.ON_TRACK,
                   after=Health.ON_TRACK, risks="Personalmangel"),
        RiskChange(code="N-01", title="Maßnahme N-01", before=None, after=Health.OFF_TRACK),
    ]  # fmt: skip
