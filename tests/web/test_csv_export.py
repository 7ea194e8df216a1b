"""CSV of a chart: its numbers, quoted as RFC 4180 says, safe against formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from bot.web.chart_data import Chart, Series
from bot.web.csv_export import chart_csv, safe_cell


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+32 87 12 34 56", "'+32 87 12 34 56"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Joining a PLP", "Joining a PLP"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(text: str, written: str) -> None:
    assert safe_cell(text) == written


def test_a_chart_becomes_a_header_and_a_row_per_label() -> None:
    chart = Chart(
        "topics",
        "Most asked",
        ("=cmd|' /C calc'!A0", 'Alarms, "cameras"'),
        (Series("Asked", (3.0, 2.5)), Series("-Opened", (0.0, 1.0))),
    )
    text = chart_csv(chart, "Topic")
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Topic", "Asked", "'-Opened"],
        ["'=cmd|' /C calc'!A0", "3", "0"],
        ['Alarms, "cameras"', "2.5", "1"],
    ]


def test_an_empty_chart_is_its_header_only() -> None:
    assert chart_csv(Chart("x", "X", (), (Series("Sent", ()),)), "Day") == "Day,Sent\r\n"
