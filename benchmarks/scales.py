"""The sizes a cycle is measured at: a town, a district, a federal state, and a tiny smoke test."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from benchmarks.synthetic import CatalogueShape

Database = Literal["sqlite", "postgresql"]


class Scale(BaseModel):
    """A catalogue of `towns` municipalities with `measures` measures each."""

    name: str
    towns: int
    measures: int
    # One owner per ten measures, as in the towns the design was drawn from.
    owners: int
    ozg_services: int = 50
    databases: tuple[Database, ...] = ("sqlite", "postgresql")
    # Messages of the mail fan-out: the owners of the scale, capped so the SMTP part stays short.
    mail_messages: int = 1500
    # Only these steps (by name) are measured at this scale; None: every step.
    steps: tuple[str, ...] | None = None

    @property
    def total_measures(self) -> int:
        """Measures of the whole catalogue."""
        return self.towns * self.measures

    def shape(self, *, towns: int | None = None, prefix: str = "synthetic") -> CatalogueShape:
        """The synthetic catalogue of this scale, or of some of its towns."""
        return CatalogueShape(
            municipalities=self.towns if towns is None else towns,
            owners=self.owners,
            measures=self.measures,
            ozg_services=self.ozg_services,
            prefix=prefix,
        )


TOWN = Scale(name="town", towns=1, measures=300, owners=30, mail_messages=30)
DISTRICT = Scale(name="district", towns=50, measures=300, owners=30)
STATE = Scale(name="state", towns=400, measures=500, owners=50, databases=("postgresql",))
# A smoke test of the harness: every step, in seconds, with figures that mean nothing.
TINY = Scale(name="tiny", towns=2, measures=12, owners=3, ozg_services=4, mail_messages=5)
# One catalogue as large as an import may be: 16,110 measures, 32,220 milestones, 1,616
# people, 50 OZG services and 4 pillars make 50,000 rows (FAHRPLAN_IMPORT_MAX_ROWS).
IMPORT_LIMIT = Scale(name="import-limit", towns=1, measures=16_110, owners=1_614, steps=("import",))
IMPORT_LIMIT_ROWS = 50_000

SCALES = {scale.name: scale for scale in (TOWN, DISTRICT, STATE, TINY, IMPORT_LIMIT)}
DEFAULT_SCALES = ("town", "district", "import-limit")
