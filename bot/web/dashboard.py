"""The dashboard (editors and up): what citizens ask, what the bot answers, who subscribes, and
how the reminders went, as SVG charts with filters by period and language, and each chart's
numbers as CSV.

Everything shown comes from anonymous counts (bot/storage/usage.py, statistics.py) and the
delivery log: no chat id and no question text.
"""

from __future__ import annotations

import math
from typing import Final

from babel.numbers import format_decimal
from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.base.languages import babel_locale
from bot.web.access import requires
from bot.web.chart_data import Chart
from bot.web.charts import bar_chart, line_chart
from bot.web.csv_export import chart_csv
from bot.web.dashboard_charts import BUILDERS, Source
from bot.web.dashboard_filters import PERIODS, Filters, read_filters
from bot.web.pages import NavItem, render, services_of

# Charts over days are lines; the others are bars (the reminders' statuses stacked).
OVER_TIME: Final = frozenset({"questions", "answered"})
STACKED: Final = frozenset({"reminders"})
# The first column of each CSV: what the chart's labels are.
LABEL_HEADERS: Final = {
    "questions": N_("Day"),
    "answered": N_("Day"),
    "topics": N_("Topic"),
    "unhelpful": N_("Topic"),
    "unhelpful-languages": N_("Language"),
    "provinces": N_("Province"),
    "regions": N_("Region"),
    "reminders": N_("Campaign occurrence"),
}
# What a chart counts when the filters do not apply to it all.
NOTES: Final = {
    "provinces": N_("Subscribers today, whatever the period."),
    "regions": N_("Subscribers today, whatever the period."),
    "reminders": N_("Campaign occurrences due in the period, in every language."),
}


@requires("editor")
async def dashboard(request: Request) -> Response:
    """Every chart for the chosen period and language."""
    filters, problem = _filters(request)
    source = _source(request)
    charts = [await build(source, filters) for build in BUILDERS.values()]
    empty = source.gettext("No data for this period")
    return render(
        request,
        "dashboard.html",
        filters=filters,
        periods=PERIODS,
        error=problem,
        retention=services_of(request).settings.gaps_retention_days,
        notes=NOTES,
        charts=[(chart, _svg(chart, empty, source.language)) for chart in charts],
    )


@requires("editor")
async def chart_export(request: Request) -> Response:
    """One chart's numbers as CSV, for the same filters."""
    key = request.path_params["chart"]
    build = BUILDERS.get(key)
    if build is None:
        raise HTTPException(404)
    filters, _problem = _filters(request)
    source = _source(request)
    chart = await build(source, filters)
    body = chart_csv(chart, source.gettext(LABEL_HEADERS[key]))
    name = f"preventbot-{key}-{filters.since.isoformat()}-{filters.until.isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _filters(request: Request) -> tuple[Filters, str | None]:
    services = services_of(request)
    today = services.now().astimezone(services.settings.timezone).date()
    return read_filters(request.query_params, today, services.settings.languages)


def _source(request: Request) -> Source:
    services = services_of(request)
    language: str = request.state.language
    content = services.content
    gettext = services.translator.gettext(language)
    return Source(services.storage, content.catalog, content.places, language, gettext)


def _svg(chart: Chart, empty: str, language: str) -> Markup:
    """The chart drawn as SVG (built and escaped by bot/web/charts.py)."""

    def number(value: float) -> str:
        """A value as the reader writes numbers (a decimal comma in fr, nl and de)."""
        if math.isnan(value):
            return ""
        text = format_decimal(round(value, 1), format="#,##0.#", locale=babel_locale(language))
        return f"{text} %" if chart.percent else text

    # Markup: ElementTree has escaped every text and attribute of the SVG.
    if chart.key in OVER_TIME:
        return Markup(line_chart(chart, empty, number))
    return Markup(bar_chart(chart, empty, stacked=chart.key in STACKED, number=number))


routes = [
    Route("/dashboard", dashboard, methods=["GET"]),
    Route("/dashboard/{chart}.csv", chart_export, methods=["GET"]),
]
nav = [
    NavItem(
        "/dashboard",
        N_("Dashboard"),
        "editor",
        N_("Questions, answers, votes, subscribers and reminders, in charts."),
    )
]
