"""What a chart shows, apart from how it is drawn: labels, series of numbers, and its scale.

The dashboard builds these (bot/web/dashboard_charts.py); bot/web/charts.py draws them as SVG
and bot/web/csv_export.py writes them as CSV, so both show the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

TICKS: Final = 4
MISSING: Final = math.nan  # no value (e.g. a share of no questions): a gap in a line, "" in CSV

Formatter = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of numbers, one per label of its chart."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """What a chart shows (and its CSV holds): labels along one axis, series of numbers."""

    key: str  # the chart's name in URLs: /dashboard/<key>.csv
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False  # values are percentages (0-100)

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw: no labels or only zeros."""
        return not self.labels or not any(
            value and not math.isnan(value) for s in self.series for value in s.values
        )


def nice_step(largest: float, ticks: int = TICKS, whole: bool = True) -> float:
    """The grid step: 1, 2 or 5 times a power of ten, at most `ticks` steps up to `largest`
    (at least 1 for counts, which are whole numbers)."""
    if largest <= 0:
        return 1.0
    rough = largest / ticks
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= rough * (1 - 1e-9))
    return max(step, 1.0) if whole else step


def value_axis(chart: Chart, stacked: bool = False) -> tuple[float, float]:
    """The top of the value axis and its grid step: 0-100 % by 25 for percentages, else a
    multiple of a round step just above the largest value (or bar, when stacked)."""
    if chart.percent:
        return 100.0, 25.0
    columns = [
        [0.0 if math.isnan(value) else value for value in column]
        for column in zip(*(s.values for s in chart.series), strict=True)
    ]
    if stacked:
        largest = max((sum(column) for column in columns), default=0.0)
    else:
        largest = max((max(column) for column in columns), default=0.0)
    step = nice_step(largest)
    return max(math.ceil(largest / step), 1) * step, step


def format_value(value: float, percent: bool = False) -> str:
    """A value as shown on hover and on the axis: whole numbers plainly, else one decimal;
    "" for a missing value."""
    if math.isnan(value):
        return ""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{text} %" if percent else text
