"""The SVG charts: well-formed XML, accessible names, numbers on hover, scales, empty data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bot.web.chart_data import MISSING, Chart, Series, format_value, nice_step, value_axis
from bot.web.charts import bar_chart, line_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
EMPTY = "No data for this period"


def parse(svg: str) -> ET.Element:
    """The SVG parsed as XML (fails on anything malformed)."""
    return ET.fromstring(svg)


def hover_titles(root: ET.Element, tag: str) -> list[str]:
    """The <title> of every `tag` element (rect, circle), in order."""
    return [
        element.findtext("svg:title", namespaces=NS) or ""
        for element in root.iter(f"{{{NS['svg']}}}{tag}")
        if element.find("svg:title", NS) is not None
    ]


DAYS = Chart(
    "questions",
    "Questions per day",
    ("2026-11-23", "2026-11-24", "2026-11-25"),
    (Series("Français", (1.0, 4.0, 2.0)), Series("Nederlands", (0.0, 3.0, 7.0))),
)


def test_a_line_chart_is_valid_xml_with_a_title_and_a_point_per_value() -> None:
    root = parse(line_chart(DAYS, EMPTY))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-questions-title chart-questions-desc"
    assert root.findtext("svg:title", namespaces=NS) == "Questions per day"
    assert root.findtext("svg:desc", namespaces=NS) == "2026-11-23 – 2026-11-25"
    assert hover_titles(root, "circle") == [
        "2026-11-23 – Français: 1",
        "2026-11-24 – Français: 4",
        "2026-11-25 – Français: 2",
        "2026-11-23 – Nederlands: 0",
        "2026-11-24 – Nederlands: 3",
        "2026-11-25 – Nederlands: 7",
    ]
    assert len(root.findall(".//svg:polyline", NS)) == 2


def test_points_are_placed_on_the_scale() -> None:
    root = parse(line_chart(DAYS, EMPTY))
    dots = list(root.iter(f"{{{NS['svg']}}}circle"))
    # The axis goes from 0 (y = 232) to 8 (y = 36): 7 is 7/8 of the way up, 0 on the floor.
    heights = [float(dot.get("cy", "")) for dot in dots]
    assert heights[3] == pytest.approx(232)
    assert heights[5] == pytest.approx(232 - 196 * 7 / 8, abs=0.1)
    xs = [float(dot.get("cx", "")) for dot in dots[:3]]
    assert xs[0] < xs[1] < xs[2]
    axis = [text.text for text in root.findall(".//svg:g[@class='chart__axis']/svg:text", NS)]
    assert axis == ["0", "2", "4", "6", "8"]


def test_bars_scale_to_the_largest_and_say_their_number() -> None:
    chart = Chart("topics", "Most asked", ("Alarms", "PLP"), (Series("Asked", (10.0, 5.0)),))
    root = parse(bar_chart(chart, EMPTY))
    bars = root.findall(".//svg:rect[@class='chart__bar chart__series-0']", NS)
    widths = [float(bar.get("width", "")) for bar in bars]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)
    assert hover_titles(root, "rect") == ["Alarms – Asked: 10", "PLP – Asked: 5"]
    assert root.findtext("svg:desc", namespaces=NS) == "Alarms: 10; PLP: 5"


def test_stacked_bars_start_where_the_previous_series_ends() -> None:
    chart = Chart(
        "reminders", "Reminders", ("run",), (Series("Sent", (3.0,)), Series("Failed", (1.0,)))
    )
    root = parse(bar_chart(chart, EMPTY, stacked=True))
    sent, failed = root.findall(".//svg:rect[@height]", NS)[-4:-2]
    assert float(failed.get("x", "")) == pytest.approx(
        float(sent.get("x", "")) + float(sent.get("width", "")), abs=0.2
    )
    assert sent.get("y") == failed.get("y")


def test_percentages_use_a_fixed_axis_and_a_percent_sign() -> None:
    chart = Chart("rate", "Rate", ("fr",), (Series("Now", (12.5,)),), percent=True)
    assert value_axis(chart) == (100.0, 25.0)
    root = parse(bar_chart(chart, EMPTY))
    assert hover_titles(root, "rect") == ["fr – Now: 12.5 %"]


@pytest.mark.parametrize(
    ("largest", "step"), [(0, 1), (1, 1), (3, 1), (7, 2), (10, 5), (23, 10), (1234, 500)]
)
def test_grid_steps_are_round_and_whole(largest: float, step: float) -> None:
    assert nice_step(largest) == step
    assert nice_step(0.3, whole=False) == pytest.approx(0.1)


@pytest.mark.parametrize(
    "chart",
    [
        Chart("none", "Nothing", (), ()),
        Chart("zeros", "Zeros", ("a", "b"), (Series("s", (0.0, 0.0)),)),
    ],
)
def test_empty_data_says_so_instead_of_drawing(chart: Chart) -> None:
    for svg in (line_chart(chart, EMPTY), bar_chart(chart, EMPTY)):
        root = parse(svg)
        assert root.findtext(".//svg:text[@class='chart__empty']", namespaces=NS) == EMPTY
        assert root.findtext("svg:desc", namespaces=NS) == EMPTY
        assert not root.findall(".//svg:rect", NS)
        assert not root.findall(".//svg:circle", NS)


def test_hostile_labels_are_escaped_and_long_ones_shortened() -> None:
    hostile = '<script>alert("x")</script> & a very long topic title that goes on and on'
    chart = Chart("t", "</title><script>", (hostile,), (Series("<b>s</b>", (1.0,)),))
    svg = bar_chart(chart, EMPTY)
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    label = root.find(".//svg:text[@class='chart__label']", NS)
    assert label is not None
    assert label.text is not None
    assert label.text.endswith("…")
    assert len(label.text) <= 30
    assert label.findtext("svg:title", namespaces=NS) == hostile


def test_a_single_day_is_drawn_in_the_middle() -> None:
    chart = Chart("one", "One day", ("2026-11-25",), (Series("fr", (2.0,)),))
    [dot] = parse(line_chart(chart, EMPTY)).iter(f"{{{NS['svg']}}}circle")
    assert float(dot.get("cx", "")) == pytest.approx((48 + 616) / 2)


def test_a_missing_value_breaks_the_line_and_has_no_point() -> None:
    values = (50.0, MISSING, 100.0, 75.0)
    chart = Chart("answered", "Answered", ("d1", "d2", "d3", "d4"), (Series("Yes", values),), True)
    root = parse(line_chart(chart, EMPTY))
    assert [line.get("points", "").count(",") for line in root.findall(".//svg:polyline", NS)] == [
        2
    ]
    assert hover_titles(root, "circle") == ["d1 – Yes: 50 %", "d3 – Yes: 100 %", "d4 – Yes: 75 %"]
    assert format_value(MISSING) == ""
    assert Chart("x", "X", ("d",), (Series("s", (MISSING,)),)).empty
