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

from models import Measure, Municipality, Person
from models.db import session_scope
from models.enums import Health, MaturityModel, MeasureStatus, MilestoneKind
from models.measure import measure_by_code
from models.municipality import municipality_by_slug
from models.status.answers import StatusAnswer
from tests.builders import catalogue, ozg, status

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


def _people(session: Session, town: Municipality) -> dict[str, Person]:
    units = ("Amt für Digitalisierung", "Schulamt", "Tiefbauamt")
    return {
        name.split()[0]: catalogue.person(session, town, name=name, email=email, org_unit=unit)
        for name, email, unit in zip(OWNER_NAMES, OWNER_EMAILS, units, strict=True)
    }


def _measures(session: Session, town: Municipality, people: dict[str, Person]) -> None:
    administration, education, infrastructure = catalogue.fields_of_action(
        session, town, "Digitale Verwaltung", "Bildung", "Infrastruktur",
        strategy="Digitalstrategie Musterstadt 2030",
    )  # fmt: skip
    anna, bernd, clara = people["Anna"].id, people["Bernd"].id, people["Clara"].id

    def measure(code: str, title: str, **values: object) -> Measure:
        return catalogue.measure(session, town, code=code, title=title,
                                 starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                 **values)  # fmt: skip

    v01 = measure("V-01", SCRIPT_TITLE, field_of_action_id=administration.id, owner_id=anna,
                  status=MeasureStatus.IN_PROGRESS, progress=10,
                  budget_planned=Decimal("1234.56"))  # fmt: skip
    v02 = measure("V-02", "Wohngeld online", field_of_action_id=administration.id,
                  owner_id=anna, status=MeasureStatus.PLANNED, progress=0,
                  budget_planned=Decimal("1000.00"), budget_spent=Decimal("0.00"))  # fmt: skip
    measure("B-01", "WLAN in allen Schulen", field_of_action_id=education.id, owner_id=bernd,
            status=MeasureStatus.IN_PROGRESS, progress=70, quick_win=True,
            budget_planned=Decimal("4000.00"))  # fmt: skip
    measure("I-01", "Glasfaser Gewerbegebiet Nord", field_of_action_id=infrastructure.id,
            owner_id=clara, status=MeasureStatus.PLANNED, quick_win=True,
            is_public=False)  # fmt: skip
    measure("I-02", "Sensoren Parkplätze", field_of_action_id=infrastructure.id, owner_id=clara,
            status=MeasureStatus.CANCELLED, progress=10)  # fmt: skip
    catalogue.milestone(session, v01, date(2026, 9, 15), title=BOLD_MILESTONE,
                        kind=MilestoneKind.LEGAL)  # fmt: skip
    catalogue.milestone(session, v02, date(2026, 11, 15), title="Pilotbetrieb")
    catalogue.milestone(session, v02, date(2027, 6, 30), title="Rollout")
    ozg.ozg_service(session, town, ozg_id="10218", name="Wohngeld", topic_field="Familie & Kind",
                    measure_id=v02.id, maturity_model=MaturityModel.V1_1, maturity_current=2,
                    maturity_target=3, deadline_on=date(2026, 12, 31))  # fmt: skip
    ozg.ozg_service(session, town, ozg_id="10345", name="Kfz-Zulassung",
                    topic_field="Mobilität & Reisen", maturity_model=MaturityModel.V2_0,
                    maturity_current=5, maturity_target=7,
                    deadline_on=date(2026, 6, 30))  # fmt: skip


def build_catalogue() -> None:
    """The catalogue as it stands at the end of 2026-Q2."""
    with session_scope(actor="test") as session:
        town = catalogue.municipality(session)
        _measures(session, town, _people(session, town))
        catalogue.committee(session, town, recipients=RECIPIENTS, meetings=[date(2026, 10, 20)])


def _ask_q3(session: Session, town: Municipality) -> None:
    period = status.period(
        session, town, "2026-Q3", due_on=date(2026, 9, 15), closes_on=date(2026, 9, 30)
    )
    measures = [_measure(session, town, code) for code in ("V-01", "V-02", "B-01", "I-01")]
    for owner in dict.fromkeys(m.owner for m in measures):
        assert owner is not None
        status.status_request(
            session,
            period,
            owner,
            measures=[m for m in measures if m.owner is owner],
            expires_at=datetime(2026, 10, 15, tzinfo=UTC),
            sent_at=datetime(2026, 9, 1, 6, tzinfo=UTC),
            reminder_count=2,
        )


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
        town = municipality_by_slug(session=session, slug="default")
        assert town is not None
        _ask_q3(session, town)
        for code, given in ANSWERS.items():
            status.answer(
                session,
                _measure(session, town, code),
                given,
                at=datetime(2026, 8, 15, 9, 30, tzinfo=UTC),
            )


def _measure(session: Session, town: Municipality, code: str) -> Measure:
    found = measure_by_code(session=session, municipality_id=town.id, code=code)
    assert found is not None, code
    return found
