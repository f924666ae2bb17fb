"""How much one import reads, and the count of what it has read so far.

The limits are settings (`FAHRPLAN_IMPORT_*`); their defaults take a large district's
catalogue comfortably, and stop a file that would take minutes and gigabytes to read.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.problems import Location, Problem, ProblemList
from models.settings import Settings

MB = 1024 * 1024
# A part of a workbook that unpacks to more than this many times its packed size is no sheet
# anyone typed; spreadsheets' XML packs ten to twenty times.
MAX_PACKING_RATIO = 100


@dataclass(frozen=True)
class ImportLimits:
    """The bounds of one import."""

    max_file_bytes: int
    max_unpacked_bytes: int
    max_rows: int
    shown_problems: int

    @classmethod
    def of(cls, settings: Settings) -> ImportLimits:
        """The limits an installation configured."""
        return cls(
            max_file_bytes=settings.import_max_file_mb * MB,
            max_unpacked_bytes=settings.import_max_unpacked_mb * MB,
            max_rows=settings.import_max_rows,
            shown_problems=settings.import_shown_problems,
        )


def megabytes(size: int) -> str:
    """A size as people read it: `21.3 MB`."""
    return f"{size / MB:,.1f} MB"


class Reading:
    """One import's reading: its limits, the rows read so far and every problem found."""

    def __init__(self, limits: ImportLimits, files: list[str]) -> None:
        self.limits = limits
        self.problems = ProblemList(files=files, shown=limits.shown_problems)
        self.rows = 0
        self.full = False

    def count_row(self, where: Location) -> bool:
        """Count a row with data; False, with the problem said once, when it is one too many."""
        if self.rows >= self.limits.max_rows:
            if not self.full:
                reason = (
                    f"the import holds more than the {self.limits.max_rows:,} rows it may read "
                    "(setting FAHRPLAN_IMPORT_MAX_ROWS); nothing from this row on was read"
                )
                self.problems.add(Problem(where=where, reason=reason))
            self.full = True
            return False
        self.rows += 1
        return True
