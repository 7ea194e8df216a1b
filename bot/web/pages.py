"""Rendering: Jinja2 templates with autoescape, in the request's language, with what every page
needs (the staff member, the CSRF token, the languages, the navigation of their role).

    return render(request, "staff.html", members=members)

Templates translate with `{{ _("Text") }}` or `{% trans %}...{% endtrans %}` (English msgids,
extracted by `make extract`); values are escaped wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final, cast

from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.base.i18n import N_
from bot.base.languages import LANGUAGE_NAMES, babel_locale
from bot.web.access import allows
from bot.web.services import WebServices

TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates"
ROLE_NAMES: Final = {
    "editor": N_("Editor"),
    "reviewer": N_("Reviewer"),
    "admin": N_("Administrator"),
}


@dataclass(frozen=True, slots=True)
class NavItem:
    """An area in the navigation and on the home page, shown to staff with at least `role`."""

    href: str
    label: str  # an English msgid, marked with N_()
    role: str
    description: str = ""  # an English msgid for the home page


class Pages:
    """The template environment and the navigation, made once per application."""

    def __init__(self, services: WebServices, nav: Iterable[NavItem] = ()) -> None:
        self.services = services
        self.nav = tuple(nav)
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(default=True, default_for_string=True),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def context(self, request: Request) -> dict[str, Any]:
        """What every template gets, in the request's language."""
        state, settings = request.state, self.services.settings
        language: str = getattr(state, "language", settings.default_language)
        staff = getattr(state, "staff", None)
        gettext = self.services.translator.gettext(language)
        role = staff.role if staff is not None else None
        return {
            "request": request,
            "staff": staff,
            "csrf": getattr(state, "csrf", ""),
            "language": language,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in settings.languages],
            "language_names": LANGUAGE_NAMES,
            "role_names": ROLE_NAMES,
            "nav": [item for item in self.nav if allows(role, item.role)],
            "_": gettext,
            "gettext": gettext,
            "when": lambda moment: self.format_moment(moment, language),
            "day_time": lambda moment: self.format_day_time(moment, language),
            "number": lambda value: format_decimal(value, locale=babel_locale(language)),
        }

    def format_moment(self, moment: datetime, language: str) -> str:
        """A date and time as people write it in `language`, in the bot's time zone."""
        local = moment.astimezone(self.services.settings.timezone)
        return format_datetime(local, format="medium", locale=babel_locale(language))

    def format_day_time(self, moment: datetime, language: str) -> str:
        """A day and its hour, written out: "mercredi 14 octobre 2026 à 10:00"."""
        local = moment.astimezone(self.services.settings.timezone)
        locale = babel_locale(language)
        pattern = str(get_datetime_format("long", locale)).replace("'", "")
        day = format_date(local, format="full", locale=locale)
        return pattern.format(format_time(local, format="short", locale=locale), day)


def pages_of(request: Request) -> Pages:
    """The application's `Pages`."""
    return cast(Pages, request.app.state.pages)


def services_of(request: Request) -> WebServices:
    """The application's services."""
    return pages_of(request).services


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """An HTML page from a template, with the common context plus `context`."""
    pages = pages_of(request)
    values = pages.context(request) | context
    html = pages.environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status)
