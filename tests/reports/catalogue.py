"""A small catalogue with known figures, played through two quarters.

At the end of 2026-Q2 (snapshot on 01.07.2026) and of 2026-Q3 (snapshot on 01.10.2026):

| code | field | owner | Q3 status | progress | health on 01.10.2026 |
|---|---|---|---|---|---|
| V-01 | Digitale Verwaltung | Anna | in progress | 20 | off track (legal milestone overdue) |
| V-02 | Digitale Verwaltung | Anna | in progress (Q2: planned) | 60 | at risk (forecast late) |
| B-01 | Bildung | Bernd | done on 15.08.2026, quick win | 100 | on track |
| I-01 | Infrastruktur | Clara | planned, not public, quick win | 0 | on track (no answer) |
| I-02 | Infrastruktur | Clara | cancelled | 10 | – |

Progress over the four measures that count: (20 + 60 + 100 + 0) / 4 = 45 %.
Budget planned 1.234,56 € + 1.000,00 € + 4.000,00 € = 6.234,56 €; spent 1.500,00 € on V-02,
over its plan of 1.000,00 €.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from models import (
    Committee,
    CommitteeMeeting,
    FieldOfAction,
    Measure,
    Milestone,
    OzgService,
    Person,
    ReportingPeriod,
    StatusRequest,
    StatusRequestItem,
    Strategy,
)
from models.db import session_scope
from models.enums import AnswerSource, Health, MaturityModel, MeasureStatus, MilestoneKind
from models.measure import measure_by_code
from models.municipality import municipality_by_slug
from models.status.answers import StatusAnswer, new_token, record_answer
from tests import factories

Q2_DAY = date(2026, 7, 1)
Q3_DAY = date(2026, 10, 1)
SCRIPT_TITLE = "E-Akte <script>alert(1)</script> einführen"
BOLD_MILESTONE = "Vergabe <b>Los 1</b> & Zuschlag"
RISK_WORDS = "Lieferverzug beim <b>Dienstleister</b> & Personalmangel"
OWNER_NAMES = ("Anna Amsel", "Bernd Bauer", "Clara Chen")
OWNER_EMAILS = (
    "anna.amsel@musterstadt.de",
    "bernd.bauer@musterstadt.de",
    "clara.chen@musterstadt.de",
)
RECIPIENTS = ("ausschuss@musterstadt.de", "ratsbuero@musterstadt.de")


def _people(session: Session, town_id: int) -> dict[str, Person]:
    units = ("Amt für Digitalisierung", "Schulamt", "Tiefbauamt")
    people = {}
    for name, email, unit in zip(OWNER_NAMES, OWNER_EMAILS, units, strict=True):
        person = Person(municipality_id=town_id, name=name, email=email, org_unit=unit)
        session.add(person)
        people[name.split()[0]] = person
    session.flush()
    return people


def _fields(session: Session, town_id: int) -> dict[str, FieldOfAction]:
    strategy = Strategy(municipality_id=town_id, name="Digitalstrategie Musterstadt 2030")
    session.add(strategy)
    session.flush()
    names = ("Digitale Verwaltung", "Bildung", "Infrastruktur")
    fields = {
        name: FieldOfAction(strategy_id=strategy.id, name=name, position=index)
        for index, name in enumerate(names)
    }
    session.add_all(fields.values())
    session.flush()
    return fields


def _measure(session: Session, town_id: int, **values: object) -> Measure:
    measure = Measure(municipality_id=town_id, **values)
    session.add(measure)
    session.flush()
    return measure


def _measures(
    session: Session, town_id: int, people: dict[str, Person], fields: dict[str, FieldOfAction]
) -> None:
    administration, education, infrastructure = fields.values()
    common = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}
    v01 = _measure(session, town_id, code="V-01", title=SCRIPT_TITLE, **common,
                   field_of_action_id=administration.id, owner_id=people["Anna"].id,
                   status=MeasureStatus.IN_PROGRESS, progress=10,
                   budget_planned=Decimal("1234.56"))  # fmt: skip
    v02 = _measure(session, town_id, code="V-02", title="Wohngeld online", **common,
                   field_of_action_id=administration.id, owner_id=people["Anna"].id,
                   status=MeasureStatus.PLANNED, progress=0,
                   budget_planned=Decimal("1000.00"), budget_spent=Decimal("0.00"))  # fmt: skip
    _measure(session, town_id, code="B-01", title="WLAN in allen Schulen", **common,
             field_of_action_id=education.id, owner_id=people["Bernd"].id,
             status=MeasureStatus.IN_PROGRESS, progress=70, quick_win=True,
             budget_planned=Decimal("4000.00"))  # fmt: skip
    _measure(session, town_id, code="I-01", title="Glasfaser Gewerbegebiet Nord", **common,
             field_of_action_id=infrastructure.id, owner_id=people["Clara"].id,
             status=MeasureStatus.PLANNED, quick_win=True, is_public=False)  # fmt: skip
    _measure(session, town_id, code="I-02", title="Sensoren Parkplätze", **common,
             field_of_action_id=infrastructure.id, owner_id=people["Clara"].id,
             status=MeasureStatus.CANCELLED, progress=10)  # fmt: skip
    session.add_all([
        Milestone(measure_id=v01.id, title=BOLD_MILESTONE, due_on=date(2026, 9, 15),
                  kind=MilestoneKind.LEGAL),
        Milestone(measure_id=v02.id, title="Pilotbetrieb", due_on=date(2026, 11, 15)),
        Milestone(measure_id=v02.id, title="Rollout", due_on=date(2027, 6, 30)),
    ])  # fmt: skip
    session.add_all([
        OzgService(municipality_id=town_id, ozg_id="10218", name="Wohngeld",
                   topic_field="Familie & Kind", measure_id=v02.id,
                   maturity_model=MaturityModel.V1_1, maturity_current=2, maturity_target=3,
                   deadline_on=date(2026, 12, 31)),
        OzgService(municipality_id=town_id, ozg_id="10345", name="Kfz-Zulassung",
                   topic_field="Mobilität & Reisen", maturity_model=MaturityModel.V2_0,
                   maturity_current=5, maturity_target=7, deadline_on=date(2026, 6, 30)),
    ])  # fmt: skip


def _committee(session: Session, town_id: int) -> None:
    committee = Committee(
        municipality_id=town_id,
        name="Ausschuss für Digitalisierung",
        recipients=list(RECIPIENTS),
        meetings=[CommitteeMeeting(meets_on=date(2026, 10, 20))],
    )
    session.add(committee)


def build_catalogue() -> None:
    """The catalogue as it stands at the end of 2026-Q2."""
    with session_scope(actor="test") as session:
        town = factories.municipality(session)
        people = _people(session, town.id)
        _measures(session, town.id, people, _fields(session, town.id))
        _committee(session, town.id)


def _ask_q3(session: Session, town_id: int) -> None:
    period = ReportingPeriod(
        municipality_id=town_id,
        code="2026-Q3",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 9, 30),
        due_on=date(2026, 9, 15),
        closes_on=date(2026, 9, 30),
    )
    session.add(period)
    session.flush()
    by_owner: dict[int, list[int]] = {}
    for code in ("V-01", "V-02", "B-01", "I-01"):
        measure = measure_by_code(session=session, municipality_id=town_id, code=code)
        assert measure is not None and measure.owner_id is not None
        by_owner.setdefault(measure.owner_id, []).append(measure.id)
    for person_id, measure_ids in by_owner.items():
        session.add(
            StatusRequest(
                period_id=period.id,
                person_id=person_id,
                token_hash=new_token()[1],
                expires_at=datetime(2026, 10, 15, tzinfo=UTC),
                reminder_count=2,
                items=[StatusRequestItem(measure_id=measure_id) for measure_id in measure_ids],
            )
        )
    session.flush()


ANSWERS = {
    "V-01": StatusAnswer(
        status=MeasureStatus.IN_PROGRESS,
        progress=20,
        achieved="Anforderungen erhoben & abgestimmt",
        next_steps="Zuschlag erteilen",
        risks=RISK_WORDS,
        decisions_needed="Freigabe zusätzlicher Mittel",
    ),
    "V-02": StatusAnswer(
        status=MeasureStatus.IN_PROGRESS,
        health=Health.AT_RISK,
        progress=60,
        achieved="Pilot vorbereitet",
        forecast_end_on=date(2027, 3, 31),
        budget_spent=Decimal("1500.00"),
    ),
    "B-01": StatusAnswer(status=MeasureStatus.DONE, progress=100, achieved="Alle Schulen versorgt"),
}


def play_q3() -> None:
    """Ask the owners in 2026-Q3; Anna and Bernd answer, Clara does not."""
    with session_scope(actor="test") as session:
        town = _town_id(session)
        _ask_q3(session, town)
        for code, answer in ANSWERS.items():
            measure = measure_by_code(session=session, municipality_id=town, code=code)
            assert measure is not None
            record_answer(
                session=session,
                measure=measure,
                answer=answer,
                source=AnswerSource.PORTAL,
                reported_by="owner",
                at=datetime(2026, 8, 15, 9, 30, tzinfo=UTC),
            )


def _town_id(session: Session) -> int:
    town = municipality_by_slug(session=session, slug="default")
    assert town is not None
    return town.id
