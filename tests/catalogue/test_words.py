"""Statuses, priorities, milestone kinds and maturity models in German and English."""

from __future__ import annotations

import pytest

from catalogue.words import (
    parse_kind,
    parse_language,
    parse_maturity_model,
    parse_priority,
    parse_status,
)
from models.enums import MaturityModel, MeasureStatus, MilestoneKind, Priority


def test_labels_in_german_and_english() -> None:
    assert parse_status("in Umsetzung") is MeasureStatus.IN_PROGRESS
    assert parse_status("In  Progress ") is MeasureStatus.IN_PROGRESS
    assert parse_status("zurückgestellt") is MeasureStatus.ON_HOLD
    assert parse_status("cancelled") is MeasureStatus.CANCELLED
    assert parse_priority("Hoch") is Priority.HIGH
    assert parse_priority("low") is Priority.LOW
    assert parse_kind("Förderung") is MilestoneKind.FUNDING
    assert parse_kind("legal") is MilestoneKind.LEGAL
    assert parse_kind("OZG") is MilestoneKind.OZG
    assert parse_maturity_model(2.0) is MaturityModel.V2_0
    assert parse_maturity_model("v1.1") is MaturityModel.V1_1


def test_an_unknown_label_names_the_closest_and_every_accepted_one() -> None:
    with pytest.raises(ValueError) as error:
        parse_status("in Umsetzng")
    assert str(error.value) == (
        'unknown status "in Umsetzng", did you mean "in Umsetzung"? (expected one of geplant, '
        "in Umsetzung, abgeschlossen, zurückgestellt, abgebrochen)"
    )
    with pytest.raises(ValueError, match='unknown priority "dringend"'):
        parse_priority("dringend")
    with pytest.raises(ValueError, match='unknown milestone kind "extern"'):
        parse_kind("extern")


def test_languages() -> None:
    assert [parse_language(word) for word in ("de", "Deutsch", "EN", "english")] == [
        "de",
        "de",
        "en",
        "en",
    ]
    with pytest.raises(ValueError, match='unknown language "fr"'):
        parse_language("fr")
