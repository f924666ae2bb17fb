"""The public variant: measures not marked public and internal fields removed."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from models.enums import Health, MeasureStatus
from reports.data import ReportData, Unanswered
from reports.public import public_view
from reports.render import render_html
from tests.builders import report

BERLIN = ZoneInfo("Europe/Berlin")
RISKS = "Lieferverzug beim Dienstleister"
DECISION = "Freigabe zusätzlicher Mittel"
REASON = "Verlängerung vom Rat beschlossen"


def _internal() -> ReportData:
    """Anna's public measure with a full answer, Clara's internal one, both with an OZG service."""
    told = report.answer(
        health=Health.AT_RISK,
        health_reason=REASON,
        achieved="Pilot vorbereitet",
        next_steps="Vergabe",
        risks=RISKS,
        decisions_needed=DECISION,
    )
    previous = report.report_data(
        [report.measure("V-01", status=MeasureStatus.PLANNED), report.measure("I-01")],
        period_code="2026-Q2",
        as_of=date(2026, 7, 1),
    )
    measures = [
        report.measure("V-01", owner_name="Anna Amsel", org_unit="Amt für Digitalisierung",
                       progress=60, last_answer=told,
                       health=report.health(Health.AT_RISK, reported=Health.AT_RISK)),
        report.measure("I-01", field_of_action="Infrastruktur", owner_name="Clara Chen",
                       org_unit="Tiefbauamt", status=MeasureStatus.PLANNED, is_public=False,
                       health=report.health(Health.OFF_TRACK),
                       last_answer=report.answer(risks="Haushaltssperre")),
        report.measure("B-01", field_of_action="Bildung", owner_name="Bernd Bauer", progress=20),
    ]  # fmt: skip
    return report.report_data(
        measures,
        previous=previous,
        ozg_services=[
            report.ozg_service(measure_code="V-01"),
            report.ozg_service(ozg_id="10345", name="Kfz-Zulassung", measure_code="I-01"),
        ],
        not_reported=[Unanswered(person_name="Clara Chen", measure_codes=["I-01"])],
    )


def test_measures_not_marked_public_are_left_out_and_the_figures_count_the_rest() -> None:
    internal = _internal()
    public = public_view(internal)
    assert public.public and not internal.public
    assert [m.code for m in public.measures] == ["V-01", "B-01"]
    assert (internal.figures.measures, public.figures.measures) == (3, 2)
    assert public.figures.progress == 40
    assert [field.name for field in public.figures.fields] == ["Digitale Verwaltung", "Bildung"]
    assert public.fields_of_action == internal.fields_of_action


def test_people_and_working_notes_are_removed_what_was_achieved_stays() -> None:
    public = public_view(_internal())
    v01 = public.measures[0]
    assert (v01.owner_name, v01.org_unit) == ("", "Amt für Digitalisierung")
    assert v01.last_answer is not None
    assert (v01.last_answer.risks, v01.last_answer.decisions_needed) == ("", "")
    assert v01.last_answer.health_reason == ""
    assert v01.last_answer.achieved == "Pilot vorbereitet"
    assert v01.last_answer.next_steps == "Vergabe"
    assert public.measures[1].last_answer is None
    assert public.not_reported == []


def test_changes_keep_public_measures_only_and_no_risk_text() -> None:
    internal = _internal()
    assert {c.code for c in internal.changes.risks} == {"V-01", "I-01"}
    changes = public_view(internal).changes
    assert changes.previous_period == "2026-Q2"
    assert [c.code for c in changes.status] == ["V-01", "B-01"]
    assert [(c.code, c.after, c.risks) for c in changes.risks] == [("V-01", Health.AT_RISK, "")]


def test_an_ozg_service_no_longer_names_a_measure_that_is_not_public() -> None:
    services = public_view(_internal()).ozg_services
    assert [(s.ozg_id, s.measure_code) for s in services] == [("10218", "V-01"), ("10345", None)]


def test_the_public_document_names_nobody_and_keeps_working_notes_out() -> None:
    internal = _internal()
    page, internal_page = (
        render_html(d, language="de", zone=BERLIN) for d in (public_view(internal), internal)
    )
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", page), "an e-mail address"
    for words in ("Anna Amsel", "Bernd Bauer", "Clara Chen", "Tiefbauamt", "Haushaltssperre",
                  RISKS, DECISION, REASON, "Ausstehende Meldungen"):  # fmt: skip
        assert words in internal_page and words not in page, words
    assert "Amt für Digitalisierung" in page and "Pilot vorbereitet" in page
