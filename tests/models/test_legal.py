from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import OzgService
from models.db import session_scope
from models.enums import MaturityModel
from models.legal import (
    LEGAL_MILESTONES,
    OZG_AMENDMENT_IN_FORCE_ON,
    OZG_DEADLINE_ON,
    OZG_IN_FORCE_ON,
    is_compliant,
    maturity_level,
    maturity_problems,
)
from models.ozg import MaturityError
from tests.builders import catalogue, ozg


def test_legal_dates_ship_with_their_sources() -> None:
    by_key = {milestone.key: milestone for milestone in LEGAL_MILESTONES}
    assert by_key["ozg-in-force"].on == OZG_IN_FORCE_ON == date(2017, 8, 18)
    assert by_key["ozg-deadline"].on == OZG_DEADLINE_ON == date(2022, 12, 31)
    assert by_key["ozg-amendment-in-force"].on == OZG_AMENDMENT_IN_FORCE_ON == date(2024, 7, 24)
    assert "§ 1 Abs. 1 OZG a. F." in by_key["ozg-deadline"].source
    assert "BGBl. I S. 3122" in by_key["ozg-in-force"].source
    assert "BGBl. 2024 I Nr. 245" in by_key["ozg-amendment-in-force"].source
    assert by_key["ozg-deadline"].title("en").startswith("OZG deadline")


def test_both_models_name_every_level_and_agree_on_compliance_at_three() -> None:
    assert [maturity_level(MaturityModel.V1_1, n).name_de for n in range(5)] == [
        "Offline",
        "Information",
        "Formular-Assistent",
        "Online-Leistung",
        "Online-Transaktion (Once-Only)",
    ]
    assert maturity_level(MaturityModel.V2_0, 7).name("en") == "Digital end to end"
    for model in MaturityModel:
        assert not is_compliant(model, 2)
        assert is_compliant(model, 3)
        assert is_compliant(model, model.highest_level)
    with pytest.raises(ValueError, match="outside 0–4"):
        maturity_level(MaturityModel.V1_1, 5)


def test_maturity_problems_name_each_level_outside_the_model() -> None:
    assert maturity_problems(MaturityModel.V2_0, current=7, target=7) == []
    assert maturity_problems(MaturityModel.V1_1, current=5, target=-1) == [
        "current maturity 5 is outside 0–4 of model v1.1",
        "target maturity -1 is outside 0–4 of model v1.1",
    ]


def test_service_levels_outside_the_model_are_refused(settings_env: Path) -> None:
    with session_scope() as session:
        town = catalogue.municipality(session)
        # Levels set before the model: checked when both are known.
        ozg.ozg_service(
            session,
            town,
            ozg_id="10218",
            name="Wohngeld",
            maturity_current=6,
            maturity_target=7,
            maturity_model=MaturityModel.V2_0,
        )
    refused = pytest.raises(MaturityError, match="10219: current maturity 6 is outside 0–4")
    with refused, session_scope() as session:
        ozg.ozg_service(session, town, ozg_id="10219", name="Elterngeld", maturity_current=6)
    refused = pytest.raises(MaturityError, match="target maturity 7 is outside 0–4")
    with refused, session_scope() as session:
        service = session.scalars(sa.select(OzgService)).one()
        service.maturity_model = MaturityModel.V1_1
    with session_scope() as session:
        service = session.scalars(sa.select(OzgService)).one()
        assert (service.maturity_model, service.maturity_current) == (MaturityModel.V2_0, 6)
        assert service.current_level.name_de == "Durchgängig digital mit Basiskomponenten"
        assert service.is_compliant


def test_a_service_is_overdue_below_target_after_its_deadline() -> None:
    service = OzgService(
        ozg_id="1",
        name="Gewerbeanmeldung",
        maturity_model=MaturityModel.V1_1,
        maturity_current=2,
        maturity_target=3,
    )
    assert service.due_on == OZG_DEADLINE_ON
    assert not service.is_overdue(OZG_DEADLINE_ON)
    assert service.is_overdue(date(2023, 1, 1))
    service.deadline_on = date(2026, 6, 30)
    assert not service.is_overdue(date(2026, 6, 30))
    assert service.is_overdue(date(2026, 7, 1))
    service.maturity_current = 3
    assert not service.is_overdue(date(2030, 1, 1))
