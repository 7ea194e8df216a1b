"""A chart's numbers as CSV: a header row, then one row per label, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) would be run as a
formula by spreadsheet programs (CSV injection): such text cells get a leading apostrophe.
Numbers are written plainly (a negative number is never text from outside).
"""

from __future__ import annotations

import csv
import io
from typing import Final

from bot.web.chart_data import Chart, format_value

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """The text, with an apostrophe in front if a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def chart_csv(chart: Chart, label_header: str) -> str:
    """The chart's labels and series as CSV text (RFC 4180 quoting, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(label_header), *(safe_cell(s.name) for s in chart.series)])
    for row, label in enumerate(chart.labels):
        values = (format_value(series.values[row]) for series in chart.series)
        writer.writerow([safe_cell(label), *values])
    return out.getvalue()
