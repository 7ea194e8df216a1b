"""The workspace application: the page modules in order, static files, middleware, errors.

To add a page area, write `bot/web/<area>.py` with `routes: list[Route]` (each endpoint marked
`@requires(role)` or `@public`) and, if it belongs in the navigation, `nav: list[NavItem]`;
then add the module to PAGES below, one line each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.base.i18n import Translator
from bot.base.log_redaction import install_redaction
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.staff.links import SECRET_PATTERNS
from bot.storage import Storage
from bot.web import (
    account,
    announcements,
    audit,
    auth,
    campaigns,
    dashboard,
    errors,
    history,
    home,
    inbox,
    review,
    staff,
    topic_editor,
    topic_live,
    topics,
)
from bot.web.access import required_role
from bot.web.limits import BodyLimitMiddleware, FormTooLargeError
from bot.web.pages import NavItem, Pages
from bot.web.services import WebServices
from bot.web.sessions import SessionMiddleware
from bot.web.signing import load_signer
from nlu import RetrainingNLU

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"

# The page modules, in order: the order of the navigation. One line per module.
PAGES: Final[tuple[ModuleType, ...]] = (
    home,
    auth,
    topics,  # /topics/new before /topics/{topic_id}
    topic_editor,
    topic_live,
    history,
    review,
    inbox,
    campaigns,
    announcements,
    dashboard,
    staff,
    audit,
    account,
)


def create_app(services: WebServices, pages: tuple[ModuleType, ...] = PAGES) -> Starlette:
    """The ASGI application over already opened services (the caller closes the storage)."""
    install_redaction(patterns=SECRET_PATTERNS)  # sign-in tokens never reach a log
    routes: list[BaseRoute] = [*page_routes(pages)]
    # check_dir=False: the folder holds only vendored files, and a test checks they are there.
    static = StaticFiles(directory=STATIC_DIR, check_dir=False)
    routes.append(Mount("/static", static, name="static"))
    app = Starlette(
        routes=routes,
        middleware=[
            # Outermost first: the session (and language) is known to every error page.
            Middleware(SessionMiddleware, services=services),
            Middleware(BodyLimitMiddleware, limit=services.settings.web.max_form_bytes),
        ],
        exception_handlers={
            HTTPException: errors.http_error,
            FormTooLargeError: errors.form_too_large,
            Exception: errors.server_error,
        },
    )
    app.state.services = services
    app.state.pages = Pages(services, navigation(pages))
    return app


def page_routes(pages: tuple[ModuleType, ...]) -> Iterator[Route]:
    """Every page module's routes, each checked to declare who may use it."""
    for module in pages:
        for route in module.routes:
            required_role(route.endpoint)  # LookupError at start-up, not an open page later
            yield route


def navigation(pages: tuple[ModuleType, ...]) -> list[NavItem]:
    """The navigation entries of the page modules, in their order."""
    return [item for module in pages for item in getattr(module, "nav", ())]


async def build_web_services(
    settings: Settings,
    now: Callable[[], datetime] | None = None,
    nlu: RetrainingNLU | None = None,
) -> WebServices:
    """Open storage and load content as the bot does; the caller closes `services.storage`."""
    clock = now or (lambda: datetime.now(settings.timezone))
    signer = load_signer(settings)
    content = ContentStore.load(settings.content_dir)
    storage = await Storage.open(settings.database)
    translator = Translator(settings.languages)
    return WebServices(settings, storage, content, translator, clock, signer, nlu)
