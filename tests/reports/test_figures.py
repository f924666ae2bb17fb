"""Key figures and the attention list, computed from report entries alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from models.enums import Health, MeasureStatus
from reports.data import MeasureEntry
from reports.figures import at_risk, elapsed_percent, rounded_mean, summarize
from tests.builders import report

Q3 = (date(2026, 7, 1), date(2026, 9, 30))
ON = date(2026, 10, 1)
FIELDS = ["Digitale Verwaltung", "Bildung", "Infrastruktur", "Mobilität"]
YEAR: dict[str, Any] = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}


def _town() -> list[MeasureEntry]:
    """Seven measures over three fields and none; their figures are worked out in the tests."""
    return [
        report.measure("V-01", progress=20, budget_planned=Decimal("1234.56"), **YEAR,
                       health=report.health(Health.OFF_TRACK)),
        report.measure("V-02", progress=60, budget_planned=Decimal("1000.00"),
                       budget_spent=Decimal("1500.00"),
                       health=report.health(Health.AT_RISK, reported=Health.AT_RISK)),
        report.measure("B-01", field_of_action="Bildung", status=MeasureStatus.DONE, progress=100,
                       finished_on=date(2026, 8, 15), quick_win=True,
                       budget_planned=Decimal("4000.00")),
        # Finished before the quarter, and its health no longer matters.
        report.measure("B-02", field_of_action="Bildung", status=MeasureStatus.DONE, progress=100,
                       finished_on=date(2026, 5, 4), health=report.health(Health.AT_RISK)),
        report.measure("I-01", field_of_action="Infrastruktur", status=MeasureStatus.PLANNED,
                       quick_win=True, starts_on=date(2026, 7, 1), ends_on=date(2027, 6, 30)),
        report.measure("I-02", field_of_action="Infrastruktur", status=MeasureStatus.CANCELLED,
                       progress=10),
        report.measure("X-01", field_of_action="", status=MeasureStatus.ON_HOLD, progress=33,
                       health=report.health(Health.OFF_TRACK, derived=Health.ON_TRACK,
                                            reported=Health.OFF_TRACK)),
    ]  # fmt: skip


def test_the_whole_counts_by_status_and_open_measures_by_health() -> None:
    figures = summarize(_town(), fields=FIELDS, period=Q3, on=ON)
    assert figures.measures == 7
    assert figures.by_status == {
        MeasureStatus.PLANNED: 1,
        MeasureStatus.IN_PROGRESS: 2,
        MeasureStatus.DONE: 2,
        MeasureStatus.ON_HOLD: 1,
        MeasureStatus.CANCELLED: 1,
    }
    # Open: V-01, V-02, I-01, X-01; the done B-02 at risk is not counted.
    assert figures.by_health == {Health.ON_TRACK: 1, Health.AT_RISK: 1, Health.OFF_TRACK: 2}
    assert figures.by_derived_health == {
        Health.ON_TRACK: 2,
        Health.AT_RISK: 1,
        Health.OFF_TRACK: 1,
    }
    assert figures.by_reported_health == {
        "on_track": 0,
        "at_risk": 1,
        "off_track": 1,
        "none": 2,
    }


def test_progress_and_elapsed_time_leave_out_cancelled_measures() -> None:
    figures = summarize(_town(), fields=FIELDS, period=Q3, on=ON)
    # (20 + 60 + 100 + 100 + 0 + 33) / 6 = 52.17; I-02 is cancelled.
    assert figures.progress == 52
    # V-01: 273 of 364 days = 75 %; I-01: 92 of 364 days = 25 %.
    assert figures.elapsed == 50


def test_each_field_in_the_strategys_order_then_the_measures_without_one() -> None:
    figures = summarize(_town(), fields=FIELDS, period=Q3, on=ON)
    by_name = {field.name: field for field in figures.fields}
    assert list(by_name) == ["Digitale Verwaltung", "Bildung", "Infrastruktur", ""]
    administration = by_name["Digitale Verwaltung"]
    assert (administration.measures, administration.progress, administration.elapsed) == (2, 40, 75)
    assert administration.budget_planned == Decimal("2234.56")
    assert administration.budget_spent == Decimal("1500.00")
    assert (by_name["Bildung"].progress, by_name["Bildung"].elapsed) == (100, None)
    infrastructure = by_name["Infrastruktur"]
    assert (infrastructure.measures, infrastructure.progress, infrastructure.elapsed) == (2, 0, 25)
    assert infrastructure.by_status[MeasureStatus.CANCELLED] == 1
    assert infrastructure.budget_planned == infrastructure.budget_spent == Decimal("0.00")
    assert (by_name[""].measures, by_name[""].progress) == (1, 33)


def test_finished_in_the_period_quick_wins_and_budget() -> None:
    figures = summarize(_town(), fields=FIELDS, period=Q3, on=ON)
    assert figures.finished == ["B-01"]
    assert figures.quick_wins == ["B-01", "I-01"]
    assert figures.budget_planned == Decimal("6234.56")
    assert figures.budget_spent == Decimal("1500.00")


def test_a_report_without_measures_has_zero_figures() -> None:
    figures = summarize([], fields=FIELDS, period=Q3, on=ON)
    assert (figures.measures, figures.progress, figures.elapsed, figures.fields) == (0, 0, None, [])
    assert figures.budget_planned == Decimal("0.00")
    assert set(figures.by_health.values()) == {0}


def test_the_attention_list_holds_open_measures_not_on_track_the_worst_first() -> None:
    assert [m.code for m in at_risk(_town())] == ["V-01", "X-01", "V-02"]


def test_the_mean_rounds_half_up() -> None:
    assert rounded_mean([2, 3]) == 3
    assert rounded_mean([1, 2, 2]) == 2
    assert rounded_mean([]) is None


def test_elapsed_time_is_clamped_and_needs_both_dates() -> None:
    measure = report.measure("V-01", **YEAR)
    assert elapsed_percent(measure, date(2025, 12, 1)) == 0
    assert elapsed_percent(measure, date(2026, 7, 2)) == 50
    assert elapsed_percent(measure, date(2027, 2, 1)) == 100
    assert elapsed_percent(report.measure(starts_on=date(2026, 1, 1)), ON) is None
    backwards = report.measure(starts_on=date(2026, 12, 31), ends_on=date(2026, 1, 1))
    assert elapsed_percent(backwards, ON) is None
