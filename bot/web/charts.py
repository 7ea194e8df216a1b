"""Small server-side SVG charts: lines over days and horizontal bars, accessible and script-free.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` (what a screen reader says),
and every point or bar carries its own `<title>` ("label – series: value"), which browsers show on
hover. Colours come from classes (`chart__series-N`) styled in `static/dashboard.css`: the
workspace's Content-Security-Policy allows no inline style. The SVG is built with ElementTree,
so every text is escaped and the result is well-formed XML.

    svg = line_chart(chart, empty=_("No data for this period"))
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Final

from bot.web.chart_data import Chart, Formatter, format_value, value_axis

SVG_NS: Final = "http://www.w3.org/2000/svg"
WIDTH: Final = 640
LINE_HEIGHT: Final = 260
MARGIN_LEFT: Final = 48
MARGIN_RIGHT: Final = 24  # room for the last value of a bar axis ("100 %")
MARGIN_TOP: Final = 36  # room for the legend
MARGIN_BOTTOM: Final = 28
BAR_LABEL_WIDTH: Final = 200
BAR_ROW: Final = 26
BAR_GAP: Final = 6
MAX_LABEL_CHARS: Final = 30
MAX_X_LABELS: Final = 8
SERIES_CLASSES: Final = 6  # chart__series-0 ... -5, then again from 0
DESCRIBED_ROWS: Final = 12  # a bar chart's description names its first rows


def line_chart(chart: Chart, empty: str, number: Formatter | None = None) -> str:
    """A line per series over the chart's labels (days, oldest first); `number` writes a
    value for its hover title (default: `format_value`)."""
    number = number or _default_format(chart)
    svg, plot = _frame(chart, LINE_HEIGHT, empty, over_time=True)
    if chart.empty:
        return _text(svg)
    top, step = value_axis(chart)
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    bottom = LINE_HEIGHT - MARGIN_BOTTOM
    _grid(plot, chart, (top, step), (left, right), (MARGIN_TOP, bottom), vertical=True)
    count = len(chart.labels)
    step = (right - left) / max(count - 1, 1)
    xs = [left + step * index if count > 1 else (left + right) / 2 for index in range(count)]
    every = max(1, math.ceil(count / MAX_X_LABELS))
    for index in range(0, count, every):
        _add(
            plot,
            "text",
            _short(chart.labels[index]),
            x=xs[index],
            y=bottom + 18,
            **{"class": "chart__label", "text-anchor": "middle"},
        )
    for number_of, series in enumerate(chart.series):
        group = _add(plot, "g", **{"class": _series_class(number_of)})
        ys = [bottom - (bottom - MARGIN_TOP) * value / top for value in series.values]
        for segment in _segments(xs, ys):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            _add(group, "polyline", points=points, **{"class": "chart__line"})
        for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
            if math.isnan(y):
                continue
            dot = _add(group, "circle", cx=x, cy=y, r=3.5, **{"class": "chart__dot"})
            value = number(series.values[index])
            _add(dot, "title", f"{chart.labels[index]} – {series.name}: {value}")
    _legend(plot, chart)
    return _text(svg)


def bar_chart(
    chart: Chart,
    empty: str,
    stacked: bool = False,
    number: Formatter | None = None,
) -> str:
    """Horizontal bars, a row per label: side by side per series, or stacked into one bar."""
    number = number or _default_format(chart)
    rows = len(chart.labels)
    per_row = 1 if stacked else max(len(chart.series), 1)
    row_height = BAR_ROW if per_row == 1 else BAR_ROW + (per_row - 1) * 12
    height = MARGIN_TOP + MARGIN_BOTTOM + max(rows, 1) * (row_height + BAR_GAP)
    svg, plot = _frame(chart, height, empty, over_time=False)
    if chart.empty:
        return _text(svg)
    top, step = value_axis(chart, stacked)
    left, right = BAR_LABEL_WIDTH, WIDTH - MARGIN_RIGHT
    bottom = height - MARGIN_BOTTOM
    _grid(plot, chart, (top, step), (left, right), (MARGIN_TOP, bottom), vertical=False)
    scale = (right - left) / top
    thickness = (row_height - 2) / per_row
    for row, label in enumerate(chart.labels):
        y = MARGIN_TOP + row * (row_height + BAR_GAP) + BAR_GAP / 2
        text = _add(
            plot,
            "text",
            _short(label),
            x=left - 6,
            y=y + row_height / 2 + 4,
            **{"class": "chart__label", "text-anchor": "end"},
        )
        _add(text, "title", label)
        start = 0.0
        for number_of, series in enumerate(chart.series):
            value = series.values[row]
            offset = 0 if stacked else number_of * thickness
            bar = _add(
                plot,
                "rect",
                x=left + start * scale,
                y=y + offset,
                width=max(value * scale, 0.0),
                height=thickness,
                **{"class": f"chart__bar {_series_class(number_of)}"},
            )
            _add(bar, "title", f"{label} – {series.name}: {number(value)}")
            if stacked:
                start += value
    _legend(plot, chart)
    return _text(svg)


def _frame(
    chart: Chart, height: float, empty: str, over_time: bool
) -> tuple[ET.Element, ET.Element]:
    """The `<svg>` with its title and description, and the group to draw in."""
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {_n(height)}",
            "role": "img",
            "class": "chart",
            "aria-labelledby": f"chart-{chart.key}-title chart-{chart.key}-desc",
        },
    )
    _add(svg, "title", chart.title, id=f"chart-{chart.key}-title")
    _add(svg, "desc", _describe(chart, empty, over_time), id=f"chart-{chart.key}-desc")
    plot = _add(svg, "g")
    if chart.empty:
        _add(
            plot,
            "text",
            empty,
            x=WIDTH / 2,
            y=height / 2,
            **{"class": "chart__empty", "text-anchor": "middle"},
        )
    return svg, plot


def _describe(chart: Chart, empty: str, over_time: bool) -> str:
    """What the chart holds, in a sentence a screen reader can say."""
    if chart.empty:
        return empty
    if over_time:
        return f"{chart.labels[0]} – {chart.labels[-1]}"
    shown = [
        f"{label}: " + ", ".join(format_value(s.values[row], chart.percent) for s in chart.series)
        for row, label in enumerate(chart.labels[:DESCRIBED_ROWS])
    ]
    return "; ".join(shown)


def _grid(
    plot: ET.Element,
    chart: Chart,
    scale: tuple[float, float],
    xs: tuple[float, float],
    ys: tuple[float, float],
    vertical: bool,
) -> None:
    """Grid lines every step and their values: along the left side (lines) or the bottom."""
    top, step = scale
    axis = _add(plot, "g", **{"class": "chart__axis", "aria-hidden": "true"})
    for tick in range(round(top / step) + 1):
        share = tick * step / top
        label = format_value(tick * step, chart.percent)
        if vertical:
            y = ys[1] - (ys[1] - ys[0]) * share
            _add(axis, "line", x1=xs[0], x2=xs[1], y1=y, y2=y, **{"class": "chart__grid"})
            _add(axis, "text", label, x=xs[0] - 6, y=y + 4, **{"text-anchor": "end"})
        else:
            x = xs[0] + (xs[1] - xs[0]) * share
            _add(axis, "line", x1=x, x2=x, y1=ys[0], y2=ys[1], **{"class": "chart__grid"})
            _add(axis, "text", label, x=x, y=ys[1] + 16, **{"text-anchor": "middle"})


def _legend(plot: ET.Element, chart: Chart) -> None:
    """A swatch and the name of each series, along the top (none for a single series)."""
    if len(chart.series) < 2:
        return
    legend = _add(plot, "g", **{"class": "chart__legend", "aria-hidden": "true"})
    x = float(MARGIN_LEFT)
    for number_of, series in enumerate(chart.series):
        _add(
            legend,
            "rect",
            x=x,
            y=10,
            width=12,
            height=12,
            **{"class": f"chart__swatch {_series_class(number_of)}"},
        )
        _add(legend, "text", _short(series.name), x=x + 16, y=21)
        x += 28 + 7 * len(_short(series.name))


def _default_format(chart: Chart) -> Formatter:
    return lambda value: format_value(value, chart.percent)


def _segments(xs: list[float], ys: list[float]) -> list[list[tuple[float, float]]]:
    """The runs of two or more points with a value: a missing value breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if math.isnan(y):
            runs.append([])
        else:
            runs[-1].append((x, y))
    return [run for run in runs if len(run) > 1]


def _series_class(index: int) -> str:
    return f"chart__series-{index % SERIES_CLASSES}"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _add(
    parent: ET.Element, tag: str, text: str | None = None, **attributes: object
) -> ET.Element:
    """A child element; numbers become short attribute values."""
    element = ET.SubElement(parent, tag, {key: _n(value) for key, value in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _n(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def _text(svg: ET.Element) -> str:
    return ET.tostring(svg, encoding="unicode")
