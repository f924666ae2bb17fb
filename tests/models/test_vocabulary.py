"""The words people type for statuses, priorities, kinds, models, health and yes/no."""

from __future__ import annotations

import pytest

from models.enums import Health, MaturityModel, MeasureStatus, MilestoneKind, Priority
from models.vocabulary import (
    parse_flag,
    parse_health,
    parse_kind,
    parse_language,
    parse_maturity_model,
    parse_priority,
    parse_status,
)
from templating.labels import (
    FLAG_LABELS,
    HEALTH_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
)


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


def test_every_label_people_read_is_a_word_they_may_type() -> None:
    for language in ("de", "en"):
        for status, label in STATUS_LABELS[language].items():
            assert parse_status(label) is status
        for health, label in HEALTH_LABELS[language].items():
            assert parse_health(label) is health
        for priority, label in PRIORITY_LABELS[language].items():
            assert parse_priority(label) is priority
        for kind, label in KIND_LABELS[language].items():
            assert parse_kind(label) is kind
        for flag, label in FLAG_LABELS[language].items():
            assert parse_flag(label) is flag


def test_import_and_phone_entry_read_the_same_words() -> None:
    assert parse_status("completed") is MeasureStatus.DONE
    assert parse_status("laufend") is MeasureStatus.IN_PROGRESS
    assert parse_health("Rot") is Health.OFF_TRACK
    assert parse_health("on_track") is Health.ON_TRACK


def test_indicator_directions_and_value_kinds_in_both_languages() -> None:
    from models.enums import Direction, ValueKind
    from models.vocabulary import parse_direction, parse_value_kind
    from templating.labels import DIRECTION_LABELS, VALUE_KIND_LABELS

    assert parse_direction("Steigend") is Direction.UP
    assert parse_direction("down") is Direction.DOWN
    assert parse_value_kind("Ist") is ValueKind.ACTUAL
    assert parse_value_kind("target") is ValueKind.TARGET
    for language in ("de", "en"):
        for direction, label in DIRECTION_LABELS[language].items():
            assert parse_direction(label) is direction
        for kind, label in VALUE_KIND_LABELS[language].items():
            assert parse_value_kind(label) is kind
    with pytest.raises(ValueError) as error:
        parse_direction("steigned")
    assert str(error.value) == (
        'unknown direction "steigned", did you mean "steigend"? (expected one of steigend, fallend)'
    )
    with pytest.raises(ValueError, match=r'unknown value kind "Plan".*expected one of Ist, Ziel'):
        parse_value_kind("Plan")
