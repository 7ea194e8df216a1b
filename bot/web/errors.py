"""Error pages in the visitor's language: 403, 404, 405, 413 (form too large), 500."""

from __future__ import annotations

import logging
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.base.i18n import N_
from bot.web.limits import FormTooLargeError
from bot.web.pages import render, services_of

logger = logging.getLogger(__name__)

# status -> (title, explanation), English msgids.
MESSAGES: Final = {
    400: (N_("Bad request"), N_("The page could not understand what was sent.")),
    403: (N_("Not allowed"), N_("Your role does not give access to this page or action.")),
    404: (N_("Page not found"), N_("There is no page at this address.")),
    405: (N_("Not allowed"), N_("This address does not accept this kind of request.")),
    413: (N_("Form too large"), N_("The form is too large: at most {size} KiB can be sent.")),
    500: (N_("Something went wrong"), N_("The page failed. Try again in a moment.")),
}
CSRF_MESSAGE: Final = N_(
    "The form has expired or did not come from this site. Reload the page and try again."
)


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    """The page for an HTTP status (HEAD gets the status only); `message` is a msgid."""
    title, explanation = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    if request.method == "HEAD":
        return Response(status_code=status)
    services = services_of(request)
    language = getattr(request.state, "language", services.settings.default_language)
    _ = services.translator.gettext(language)
    size = services.settings.web.max_form_bytes // 1024
    text = _(message or explanation).replace("{size}", str(size))
    return render(request, "error.html", status, status_code=status, title=_(title), text=text)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's HTTPException (404 from the router, 403 from access checks...)."""
    assert isinstance(exc, HTTPException)
    message = CSRF_MESSAGE if exc.status_code == 403 and exc.detail == "csrf" else None
    response = error_page(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def form_too_large(request: Request, exc: Exception) -> Response:
    """A body over `web.max_form_bytes`: 413, saying the limit."""
    assert isinstance(exc, FormTooLargeError)
    response = error_page(request, 413)
    # Nothing was read: the connection cannot be reused for another request.
    response.headers["Connection"] = "close"
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: logged with its traceback, a plain page for the visitor."""
    logger.error("Workspace page %s failed", request.url.path, exc_info=exc)
    try:
        return error_page(request, 500)
    except Exception:  # the error page itself failed (e.g. a broken template)
        return PlainTextResponse("500 Internal Server Error", status_code=500)
