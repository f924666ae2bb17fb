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

SCALES = {scale.name: scale for scale in (TOWN, DISTRICT, STATE, TINY)}
DEFAULT_SCALES = ("town", "district")
