"""The public variant: what may be published on the town's website.

It leaves out measures and indicators not marked public, the names of people (only org units
remain), who did not report, and what owners wrote about risks, decisions they need and why their
health differs from the derived one: those are working notes for the council and the
administration.
"""

from __future__ import annotations

from reports.data import Answer, Changes, IndicatorEntry, MeasureEntry, OzgEntry, ReportData
from reports.figures import summarize


def _public_answer(answer: Answer | None) -> Answer | None:
    if answer is None:
        return None
    return answer.model_copy(update={"risks": "", "decisions_needed": "", "health_reason": ""})


def _public_measure(measure: MeasureEntry) -> MeasureEntry:
    return measure.model_copy(
        update={"owner_name": "", "last_answer": _public_answer(measure.last_answer)}
    )


def _public_changes(changes: Changes, codes: set[str]) -> Changes:
    return Changes(
        previous_period=changes.previous_period,
        status=[c for c in changes.status if c.code in codes],
        delays=[c for c in changes.delays if c.code in codes],
        risks=[c.model_copy(update={"risks": ""}) for c in changes.risks if c.code in codes],
    )


def _public_service(service: OzgEntry, codes: set[str]) -> OzgEntry:
    if service.measure_code in codes:
        return service
    return service.model_copy(update={"measure_code": None})


def _public_indicator(indicator: IndicatorEntry, codes: set[str]) -> IndicatorEntry:
    return indicator.model_copy(
        update={
            "owner_name": "",
            "measure_codes": [code for code in indicator.measure_codes if code in codes],
        }
    )


def public_view(data: ReportData) -> ReportData:
    """The report without anything internal; its figures count the public measures only."""
    measures = [_public_measure(m) for m in data.measures if m.is_public]
    codes = {m.code for m in measures}
    return data.model_copy(
        update={
            "public": True,
            "measures": measures,
            "ozg_services": [_public_service(s, codes) for s in data.ozg_services],
            "indicators": [_public_indicator(i, codes) for i in data.indicators if i.is_public],
            "not_reported": [],
            "changes": _public_changes(data.changes, codes),
            "figures": summarize(
                measures,
                fields=data.fields_of_action,
                period=(data.period_starts_on, data.period_ends_on),
                on=data.as_of,
            ),
        }
    )
