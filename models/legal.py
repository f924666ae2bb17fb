"""Reference data of the law: OZG dates with their sources, and the two OZG maturity models.

Our reading of the models (also in docs/deadlines.md):
- Reifegradmodell 1.1 (June 2020) has levels 0–4; level 3 is where a service counts as
  OZG-compliant (application with all evidence online).
- Reifegradmodell 2.0 (since July 2025) has levels 0–7: 0–3 describe the online front end,
  4–6 the digital, process- and data-centred handling inside the administration, 7 a service
  digital end to end. We count level 3 as compliant here too: it is the same duty of § 1 OZG
  to offer a service electronically, completed in the front end; 4–7 are the end-to-end aim of
  the OZG-Änderungsgesetz. The names of levels 4–7 below describe that outline in our own words.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from models.enums import MaturityModel

OZG_IN_FORCE_ON = date(2017, 8, 18)
OZG_DEADLINE_ON = date(2022, 12, 31)
OZG_AMENDMENT_IN_FORCE_ON = date(2024, 7, 24)
MATURITY_MODEL_2_SINCE = date(2025, 7, 1)

OZG_SOURCE = "Onlinezugangsgesetz vom 14.08.2017 (Art. 9), BGBl. I S. 3122, 3138"
OZG_AMENDMENT_SOURCE = (
    "OZG-Änderungsgesetz (OZGÄndG) vom 19.07.2024, BGBl. 2024 I Nr. 245 vom 23.07.2024"
)


class LegalMilestone(BaseModel):
    """A date set by law, with where it is written."""

    model_config = ConfigDict(frozen=True)

    key: str
    on: date
    title_de: str
    title_en: str
    source: str

    def title(self, language: str) -> str:
        """The title in German or English."""
        return self.title_de if language == "de" else self.title_en


LEGAL_MILESTONES: tuple[LegalMilestone, ...] = (
    LegalMilestone(
        key="ozg-in-force",
        on=OZG_IN_FORCE_ON,
        title_de="Onlinezugangsgesetz (OZG) in Kraft",
        title_en="Online Access Act (OZG) in force",
        source=OZG_SOURCE,
    ),
    LegalMilestone(
        key="ozg-deadline",
        on=OZG_DEADLINE_ON,
        title_de="Frist des OZG: Verwaltungsleistungen auch elektronisch anbieten",
        title_en="OZG deadline: offer administrative services electronically as well",
        source=f"§ 1 Abs. 1 OZG a. F. (bis zum Ablauf des fünften auf die Verkündung "
        f"folgenden Kalenderjahres); {OZG_SOURCE}",
    ),
    LegalMilestone(
        key="ozg-amendment-in-force",
        on=OZG_AMENDMENT_IN_FORCE_ON,
        title_de="OZG-Änderungsgesetz (OZG 2.0) in Kraft",
        title_en="OZG Amendment Act (OZG 2.0) in force",
        source=OZG_AMENDMENT_SOURCE,
    ),
    LegalMilestone(
        key="maturity-model-2",
        on=MATURITY_MODEL_2_SINCE,
        title_de="OZG-Reifegradmodell 2.0 löst Reifegradmodell 1.1 ab",
        title_en="OZG maturity model 2.0 replaces maturity model 1.1",
        source="OZG-Reifegradmodell 2.0 (Juli 2025), Monitoring nach § 11 OZG",
    ),
)


class MaturityLevel(BaseModel):
    """One level of a maturity model."""

    model_config = ConfigDict(frozen=True)

    level: int
    name_de: str
    name_en: str

    def name(self, language: str) -> str:
        """The level's name in German or English."""
        return self.name_de if language == "de" else self.name_en


def _levels(*names: tuple[str, str]) -> tuple[MaturityLevel, ...]:
    return tuple(
        MaturityLevel(level=number, name_de=de, name_en=en) for number, (de, en) in enumerate(names)
    )


MATURITY_LEVELS: dict[MaturityModel, tuple[MaturityLevel, ...]] = {
    MaturityModel.V1_1: _levels(
        ("Offline", "Offline"),
        ("Information", "Information"),
        ("Formular-Assistent", "Form assistant"),
        ("Online-Leistung", "Online service"),
        ("Online-Transaktion (Once-Only)", "Online transaction (once only)"),
    ),
    MaturityModel.V2_0: _levels(
        ("Offline", "Offline"),
        ("Information", "Information"),
        ("Formular-Assistent", "Form assistant"),
        ("Online-Antrag mit allen Nachweisen", "Online application with all evidence"),
        ("Digitaler Eingang in der Verwaltung", "Digital intake in the administration"),
        ("Prozessorientierte, datenzentrierte Bearbeitung", "Process- and data-centred handling"),
        ("Durchgängig digital mit Basiskomponenten", "Digital throughout, on shared components"),
        ("Ende-zu-Ende digital", "Digital end to end"),
    ),
}

COMPLIANT_LEVEL: dict[MaturityModel, int] = {MaturityModel.V1_1: 3, MaturityModel.V2_0: 3}


def maturity_level(model: MaturityModel, level: int) -> MaturityLevel:
    """A level of a model; ValueError outside the model's range."""
    if not 0 <= level <= model.highest_level:
        raise ValueError(f"maturity {level} is outside 0–{model.highest_level} of model {model}")
    return MATURITY_LEVELS[model][level]


def is_compliant(model: MaturityModel, level: int) -> bool:
    """Whether a service at this level counts as OZG-compliant under this model."""
    return level >= COMPLIANT_LEVEL[model]


def maturity_problems(model: MaturityModel, *, current: int, target: int) -> list[str]:
    """Every way these maturity levels do not fit the model; empty when they fit."""
    top = model.highest_level
    return [
        f"{label} maturity {value} is outside 0–{top} of model {model}"
        for label, value in (("current", current), ("target", target))
        if not 0 <= value <= top
    ]
