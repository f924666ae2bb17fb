"""What a benchmark run yields: records of steps beside their baselines, and targets."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from pydantic import BaseModel

from benchmarks.runner import Run


def median(values: Sequence[float]) -> float:
    """The median, rounded for reading."""
    return round(statistics.median(values), 3)


class Side(BaseModel):
    """One side of a comparison: the runs of one work and their medians."""

    label: str
    work: str
    runs: list[Run]

    @property
    def seconds(self) -> float:
        """Median wall time."""
        return median([run.seconds for run in self.runs])

    @property
    def cpu_seconds(self) -> float:
        """Median CPU time of the child process itself."""
        return median([run.cpu_seconds for run in self.runs])

    @property
    def load(self) -> float:
        """Median load average of the machine when the runs started."""
        return median([run.load for run in self.runs])

    @property
    def peak_mb(self) -> float:
        """Median peak RSS of the child process, in MB."""
        return median([run.peak_rss_kb / 1024 for run in self.runs])

    @property
    def own_mb(self) -> float:
        """Median of what the timed part added to the peak, in MB."""
        return median([run.own_kb / 1024 for run in self.runs])

    def summary(self) -> dict[str, object]:
        """The medians beside the runs, for the JSON file."""
        return {
            "label": self.label,
            "work": self.work,
            "seconds": self.seconds,
            "cpu_seconds": self.cpu_seconds,
            "load": self.load,
            "peak_mb": self.peak_mb,
            "own_mb": self.own_mb,
            "runs": [run.model_dump() for run in self.runs],
        }


class Record(BaseModel):
    """A step at one scale on one database, beside its baseline."""

    scale: str
    database: str
    measures: int
    step: str
    scope: str
    measured: Side
    baseline: Side
    target_ratio: float | None = None
    run_at: str

    @property
    def ratio(self) -> float:
        """How many times the baseline's median the step's median took."""
        return round(self.measured.seconds / max(self.baseline.seconds, 1e-6), 2)

    def as_json(self) -> dict[str, object]:
        """Everything, with the medians spelt out."""
        return {
            "scale": self.scale,
            "database": self.database,
            "measures": self.measures,
            "step": self.step,
            "scope": self.scope,
            "ratio": self.ratio,
            "target_ratio": self.target_ratio,
            "run_at": self.run_at,
            "measured": self.measured.summary(),
            "baseline": self.baseline.summary(),
        }


class Target(BaseModel):
    """A target of the issue, checked against a figure of this or an earlier run."""

    name: str
    figure: str
    met: bool
