"""Geometry of the report's charts; a template draws the SVG, so every label is escaped.

Colours are the Okabe–Ito palette, which stays distinguishable with colour-vision deficiencies;
each chart also has a title, a description and a table with the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from pydantic import BaseModel

from models.enums import MeasureStatus
from reports.data import FieldFigures, IndicatorEntry

STATUS_COLOURS = {
    MeasureStatus.PLANNED: "#999999",
    MeasureStatus.IN_PROGRESS: "#0072B2",
    MeasureStatus.DONE: "#009E73",
    MeasureStatus.ON_HOLD: "#E69F00",
    MeasureStatus.CANCELLED: "#CC79A7",
}
HEALTH_COLOURS = {"on_track": "#009E73", "at_risk": "#E69F00", "off_track": "#D55E00"}
PROGRESS_COLOUR = "#0072B2"
ELAPSED_COLOUR = "#999999"

LABEL_WIDTH = 190
BAR_WIDTH = 420
ROW = 26
TOP = 10
LABEL_CHARS = 30
LEGEND_LEFT = 10
LEGEND_STEP = 115


class Segment(BaseModel):
    """One coloured piece of a bar."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    key: str
    value: int


class Row(BaseModel):
    """One labelled line of a chart."""

    label: str
    full_label: str
    y: float
    segments: list[Segment]


class Legend(BaseModel):
    """One entry of the legend."""

    x: float
    y: float
    colour: str
    key: str


class Tick(BaseModel):
    """A gridline with its value."""

    x: float
    value: int


class Chart(BaseModel):
    """Everything a template needs to draw a horizontal bar chart."""

    width: int
    height: int
    label_width: int
    # Where the bars end: gridlines run down to here, their values are written below.
    axis_y: float
    rows: list[Row]
    legend: list[Legend]
    ticks: list[Tick]


def shortened(text: str, limit: int = LABEL_CHARS) -> str:
    """The text cut to the limit with an ellipsis; the full text goes into the SVG title."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _legend(keys: Sequence[tuple[str, str]], y: float) -> list[Legend]:
    return [
        Legend(x=LEGEND_LEFT + index * LEGEND_STEP, y=y, colour=colour, key=key)
        for index, (key, colour) in enumerate(keys)
    ]


def status_chart(fields: Sequence[FieldFigures], no_field: str) -> Chart:
    """Stacked bars: measures per field of action, split by status."""
    largest = max((f.measures for f in fields), default=0) or 1
    rows = []
    for index, field in enumerate(fields):
        y, x = TOP + index * ROW, float(LABEL_WIDTH)
        segments = []
        for status, count in field.by_status.items():
            if count:
                width = BAR_WIDTH * count / largest
                segments.append(
                    Segment(
                        x=x,
                        y=y,
                        width=width,
                        height=ROW - 8,
                        colour=STATUS_COLOURS[status],
                        key=status.value,
                        value=count,
                    )
                )
                x += width
        name = field.name or no_field
        rows.append(Row(label=shortened(name), full_label=name, y=y, segments=segments))
    bottom = TOP + len(fields) * ROW
    keys = [(status.value, colour) for status, colour in STATUS_COLOURS.items()]
    return Chart(
        width=LABEL_WIDTH + BAR_WIDTH + 20,
        height=int(bottom + 30),
        label_width=LABEL_WIDTH,
        axis_y=bottom,
        rows=rows,
        legend=_legend(keys, bottom + 8),
        ticks=[],
    )


def progress_chart(fields: Sequence[FieldFigures], no_field: str) -> Chart:
    """Per field of action: average progress beside the average share of time elapsed."""
    rows = []
    for index, field in enumerate(fields):
        y = TOP + index * ROW
        bars = [("progress", PROGRESS_COLOUR, field.progress, y)]
        if field.elapsed is not None:
            bars.append(("elapsed", ELAPSED_COLOUR, field.elapsed, y + 9))
        segments = [
            Segment(
                x=LABEL_WIDTH,
                y=top,
                width=BAR_WIDTH * value / 100,
                height=8,
                colour=colour,
                key=key,
                value=value,
            )
            for key, colour, value, top in bars
        ]
        name = field.name or no_field
        rows.append(Row(label=shortened(name), full_label=name, y=y, segments=segments))
    bottom = TOP + len(fields) * ROW
    return Chart(
        width=LABEL_WIDTH + BAR_WIDTH + 20,
        height=int(bottom + 44),
        label_width=LABEL_WIDTH,
        axis_y=bottom,
        rows=rows,
        legend=_legend([("progress", PROGRESS_COLOUR), ("elapsed", ELAPSED_COLOUR)], bottom + 20),
        ticks=[Tick(x=LABEL_WIDTH + BAR_WIDTH * v / 100, value=v) for v in (0, 25, 50, 75, 100)],
    )


# --- Indicator charts ---------------------------------------------------------------------------

PATH_COLOUR = "#666666"
VALUE_COLOUR = "#0072B2"
TARGET_COLOUR = "#D55E00"
BASELINE_COLOUR = "#1a1a1a"
LINE_WIDTH = 520
LINE_HEIGHT = 200
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 58.0, 500.0, 16.0, 150.0
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


class Mark(BaseModel):
    """A point of an indicator chart where the number it stands for is drawn."""

    x: float
    y: float
    on: date
    value: Decimal


class AxisTick(BaseModel):
    """A gridline (y) or a year (x) with its position."""

    at: float
    value: Decimal


class LineChart(BaseModel):
    """Everything a template needs to draw an indicator over time."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    baseline: Mark
    # The expected path: the baseline, then each target in turn.
    path: list[Mark]
    values: list[Mark]
    targets: list[Mark]
    y_ticks: list[AxisTick]
    x_ticks: list[AxisTick]
    legend_y: float


def nice_step(span: Decimal, count: int = 4) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts the span into about
    `count` pieces."""
    raw = span / count if span > 0 else Decimal(1)
    power = Decimal(10) ** (raw.adjusted())
    return next(step * power for step in NICE_STEPS if step * power >= raw)


def _y_scale(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    low, high = min(values), max(values)
    step = nice_step(high - low)
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    return bottom, (top if top > bottom else bottom + step), step


def indicator_chart(indicator: IndicatorEntry) -> LineChart:
    """An indicator's baseline, targets, expected path and measured values on one time axis."""
    points = [indicator.baseline, *indicator.targets, *indicator.values]
    first = min(p.on for p in points)
    last = max(p.on for p in points)
    days = max((last - first).days, 1)
    low, high, step = _y_scale([p.value for p in points])

    def mark(on: date, value: Decimal) -> Mark:
        x = PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (on - first).days / days
        share = float((value - low) / (high - low))
        return Mark(x=x, y=PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * share, on=on, value=value)

    baseline = mark(indicator.baseline.on, indicator.baseline.value)
    targets = [mark(t.on, t.value) for t in sorted(indicator.targets, key=lambda t: t.on)]
    later = [t for t in targets if t.on > baseline.on]
    ticks = [low + step * n for n in range(int((high - low) / step) + 1)]
    years = range(first.year + (first != date(first.year, 1, 1)), last.year + 1)
    return LineChart(
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        left=PLOT_LEFT,
        right=PLOT_RIGHT,
        top=PLOT_TOP,
        bottom=PLOT_BOTTOM,
        baseline=baseline,
        path=[baseline, *later],
        values=[mark(v.on, v.value) for v in sorted(indicator.values, key=lambda v: v.on)],
        targets=targets,
        y_ticks=[AxisTick(at=mark(first, tick).y, value=tick) for tick in ticks],
        x_ticks=[AxisTick(at=mark(date(y, 1, 1), low).x, value=Decimal(y)) for y in years],
        legend_y=LINE_HEIGHT - 18,
    )
