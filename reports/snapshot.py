"""Taking the snapshot: the report's data read from the database once, then frozen as JSON.

Running the report again for a period renders its frozen snapshot again; only `force` reads
the database anew and replaces the snapshot of that period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.base import utcnow
from models.calendar import start_of_day
from models.errors import UserError
from models.health import HealthFacts, MilestoneFacts, assess_health, health_facts
from models.indicator import Indicator, facts_of, indicators_of
from models.indicator_judgement import judge
from models.measure import Measure, measures_of
from models.meeting import committee_schedules
from models.municipality import Municipality, municipality_by_slug
from models.ozg import OzgService, ozg_services_of
from models.settings import get_settings
from models.snapshot import snapshot_for, store_snapshot
from models.status.history import (
    CHUNK,
    Standing,
    closing_day,
    done_since,
    milestones_reached_later,
    previous_snapshot,
    standing_at,
    unanswered_items,
)
from models.status.tables import (
    StatusReport,
    StatusRequestItem,
    latest_reports,
    period_bounds,
    period_by_code,
)
from reports.changes import compare
from reports.data import (
    Answer,
    CommitteeEntry,
    IndicatorEntry,
    IndicatorPoint,
    MeasureEntry,
    MilestoneEntry,
    OzgEntry,
    ReportData,
    Unanswered,
)
from reports.figures import summarize


class Snapshot(BaseModel):
    """A period's frozen report data, and whether it was taken before this run."""

    data: ReportData
    reused: bool


def last_finished_quarter(on: date) -> str:
    """The code of the last quarter that ended before this day."""
    first_of_quarter = date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
    day_before = first_of_quarter - timedelta(days=1)
    return f"{day_before.year}-Q{(day_before.month - 1) // 3 + 1}"


def checked_period(code: str, *, on: date) -> tuple[date, date]:
    """The bounds of a finished quarter; a malformed or unfinished one is the user's to fix."""
    try:
        starts_on, ends_on = period_bounds(code)
    except ValueError as error:
        raise UserError(str(error)) from None
    if ends_on >= on:
        raise UserError(
            f"period {code} ends on {ends_on.isoformat()}: a report covers a finished quarter"
        )
    return starts_on, ends_on


def _answer(report: StatusReport) -> Answer:
    return Answer.model_validate(report, from_attributes=True)


def _local_day(instant: datetime | None) -> date | None:
    return instant.astimezone(get_settings().zone).date() if instant else None


def _answered_by(*, session: Session, municipality_id: int, period_code: str) -> datetime:
    """The instant up to which answers count for this period: the end of its closing day."""
    closes_on = closing_day(
        session=session, municipality_id=municipality_id, period_code=period_code
    )
    return start_of_day(closes_on + timedelta(days=1), get_settings().zone)


class _AsAnswered(BaseModel):
    """What the answers up to the closing day had said of the measures."""

    answers: dict[int, Answer]
    finished: dict[int, datetime]
    reached_later: set[int]


def _as_answered(*, session: Session, ids: list[int], up_to: datetime) -> _AsAnswered:
    answers: dict[int, Answer] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = latest_reports(session=session, measure_ids=chunk, up_to=up_to)
        answers |= {measure_id: _answer(report) for measure_id, report in found.items()}
    return _AsAnswered(
        answers=answers,
        finished=done_since(session=session, measure_ids=ids, up_to=up_to),
        reached_later=milestones_reached_later(session=session, measure_ids=ids, up_to=up_to),
    )


def _milestones(measure: Measure, reached_later: set[int]) -> list[MilestoneEntry]:
    return [
        MilestoneEntry(
            title=s.title,
            due_on=s.due_on,
            kind=s.kind,
            done_on=None if s.id in reached_later else s.done_on,
        )
        for s in measure.milestones
    ]


def _facts(facts: HealthFacts, standing: Standing, milestones: list[MilestoneEntry]) -> HealthFacts:
    """The health rule's facts with what the answers had said by the closing day."""
    return facts.model_copy(
        update={
            "status": standing.status,
            "forecast_end_on": standing.forecast_end_on,
            "reported": standing.health,
            "milestones": [MilestoneFacts(**m.model_dump()) for m in milestones],
        }
    )


def _entry(
    m: Measure, now: Standing, facts: HealthFacts, answered: _AsAnswered, on: date
) -> MeasureEntry:
    milestones = _milestones(m, answered.reached_later)
    return MeasureEntry(
        code=m.code,
        title=m.title,
        description=m.description,
        field_of_action=m.field_of_action.name if m.field_of_action else "",
        pillars=[pillar.name for pillar in m.pillars],
        owner_name=m.owner.name if m.owner else "",
        org_unit=m.owner.org_unit if m.owner else "",
        status=now.status,
        progress=now.progress,
        starts_on=m.starts_on,
        ends_on=m.ends_on,
        forecast_end_on=now.forecast_end_on,
        finished_on=_local_day(answered.finished.get(m.id)),
        priority=m.priority,
        quick_win=m.quick_win,
        budget_planned=m.budget_planned,
        budget_spent=now.budget_spent,
        is_public=m.is_public,
        health=assess_health(_facts(facts, now, milestones), on=on),
        last_answer=answered.answers.get(m.id),
        milestones=milestones,
    )


def _entries(
    *, session: Session, measures: Sequence[Measure], on: date, up_to: datetime
) -> list[MeasureEntry]:
    ids = [measure.id for measure in measures]
    facts = health_facts(session=session, measures=measures, up_to=up_to)
    standing = standing_at(session=session, measures=measures, up_to=up_to)
    answered = _as_answered(session=session, ids=ids, up_to=up_to)
    return [_entry(m, standing[m.id], facts[m.id], answered, on) for m in measures]


def _indicator(indicator: Indicator, on: date) -> IndicatorEntry:
    """The indicator with the values known on the day, judged on that day."""
    values = [v for v in indicator.values if v.measured_on <= on]
    facts = facts_of(indicator)
    known = facts.model_copy(update={"values": [p for p in facts.values if p.on <= on]})
    judgement = judge(known, on=on)
    owner = indicator.owner
    return IndicatorEntry(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        direction=indicator.direction,
        field_of_action=indicator.field_of_action.name if indicator.field_of_action else "",
        measure_codes=[measure.code for measure in indicator.measures],
        owner_name=owner.name if owner else "",
        org_unit=owner.org_unit if owner else "",
        source=indicator.source,
        is_public=indicator.is_public,
        baseline=IndicatorPoint(on=indicator.baseline_on, value=indicator.baseline_value),
        targets=[IndicatorPoint(on=t.due_on, value=t.value) for t in indicator.targets],
        values=[IndicatorPoint(on=v.measured_on, value=v.value, source=v.source) for v in values],
        state=judgement.state,
        stale=judgement.stale,
        # Shown to people: two decimal places say enough of where the path stands.
        expected=None
        if judgement.expected is None
        else judgement.expected.quantize(Decimal("0.01")),
        next_target=IndicatorPoint(on=judgement.next_target.on, value=judgement.next_target.value)
        if judgement.next_target
        else None,
    )


def _fields_in_order(
    measures: Sequence[Measure], indicators: Sequence[Indicator] = ()
) -> list[str]:
    fields = {m.field_of_action.id: m.field_of_action for m in measures if m.field_of_action}
    fields |= {i.field_of_action.id: i.field_of_action for i in indicators if i.field_of_action}
    ordered = sorted(fields.values(), key=lambda field: (field.position, field.name))
    return list(dict.fromkeys(field.name for field in ordered))


def _services(services: Sequence[OzgService], codes: dict[int, str]) -> list[OzgEntry]:
    return [
        OzgEntry(
            ozg_id=s.ozg_id,
            leika_key=s.leika_key,
            name=s.name,
            topic_field=s.topic_field,
            measure_code=codes.get(s.measure_id) if s.measure_id else None,
            maturity_model=s.maturity_model,
            maturity_current=s.maturity_current,
            maturity_target=s.maturity_target,
            deadline_on=s.deadline_on,
        )
        for s in services
    ]


def _not_reported(
    *, session: Session, municipality_id: int, code: str, up_to: datetime
) -> list[Unanswered]:
    period = period_by_code(session=session, municipality_id=municipality_id, code=code)
    if period is None:
        return []
    by_request: dict[int, list[StatusRequestItem]] = {}
    for item in unanswered_items(session=session, period_id=period.id, up_to=up_to):
        by_request.setdefault(item.request_id, []).append(item)
    entries = [
        Unanswered(
            person_name=items[0].request.person.name,
            org_unit=items[0].request.person.org_unit,
            measure_codes=sorted(item.measure.code for item in items),
            reminders=items[0].request.reminder_count,
            escalated=items[0].request.escalated_at is not None,
        )
        for items in by_request.values()
    ]
    return sorted(entries, key=lambda e: (e.org_unit, e.person_name))


def _committees(*, session: Session, municipality_id: int, on: date) -> list[CommitteeEntry]:
    """Each committee with its next meeting: the council system's date, else the typed one."""
    schedules = committee_schedules(
        session=session, municipality_id=municipality_id, zone=get_settings().zone
    )
    return [
        CommitteeEntry(
            name=schedule.committee,
            next_meeting_on=min((day for day in schedule.days if day >= on), default=None),
        )
        for schedule in schedules
    ]


def _previous(*, session: Session, municipality_id: int, code: str) -> ReportData | None:
    found = previous_snapshot(session=session, municipality_id=municipality_id, before_period=code)
    return ReportData.model_validate(found.data) if found else None


def build_report_data(
    *, session: Session, municipality: Municipality, period_code: str, on: date, taken_at: datetime
) -> ReportData:
    """Read everything the report shows for this period, judged on the given day, from the
    answers recorded up to its closing day."""
    starts_on, ends_on = period_bounds(period_code)
    town = municipality.id
    up_to = _answered_by(session=session, municipality_id=town, period_code=period_code)
    measures = measures_of(session=session, municipality_id=town)
    entries = _entries(session=session, measures=measures, on=on, up_to=up_to)
    indicators = indicators_of(session=session, municipality_id=town)
    fields = _fields_in_order(measures, indicators)
    codes = {m.id: m.code for m in measures}
    return ReportData(
        municipality_slug=municipality.slug,
        municipality_name=municipality.name,
        committees=_committees(session=session, municipality_id=town, on=on),
        period_code=period_code,
        period_starts_on=starts_on,
        period_ends_on=ends_on,
        taken_at=taken_at,
        as_of=on,
        fields_of_action=fields,
        measures=entries,
        ozg_services=_services(ozg_services_of(session=session, municipality_id=town), codes),
        indicators=[_indicator(indicator, on) for indicator in indicators],
        not_reported=_not_reported(
            session=session, municipality_id=town, code=period_code, up_to=up_to
        ),
        changes=compare(
            entries,
            on=on,
            previous=_previous(session=session, municipality_id=town, code=period_code),
        ),
        figures=summarize(entries, fields=fields, period=(starts_on, ends_on), on=on),
    )


def take_snapshot(
    *, session: Session, municipality_slug: str, period_code: str, on: date, force: bool
) -> Snapshot:
    """The period's frozen data: the stored snapshot, or a new one when none exists or `force`."""
    municipality = municipality_by_slug(session=session, slug=municipality_slug)
    if municipality is None:
        raise UserError(f"municipality {municipality_slug!r} does not exist; run `fahrplan init`")
    stored = snapshot_for(session=session, municipality_id=municipality.id, period_code=period_code)
    if stored is not None and not force:
        return Snapshot(data=ReportData.model_validate(stored.data), reused=True)
    data = build_report_data(
        session=session,
        municipality=municipality,
        period_code=period_code,
        on=on,
        taken_at=utcnow(),
    )
    frozen = data.model_dump(mode="json")
    store_snapshot(
        session=session,
        municipality_id=municipality.id,
        period_code=period_code,
        data=frozen,
        taken_at=data.taken_at,
    )
    # Render from what was stored, so the first rendering and every later one read the same.
    return Snapshot(data=ReportData.model_validate(frozen), reused=False)
