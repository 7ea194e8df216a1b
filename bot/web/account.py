"""The staff member's own account (language, linked Telegram account) and the language switch.

Linking Telegram: the page shows a code valid 15 minutes; the staff member sends `/signin CODE`
to the bot in a private chat, and from then on `/signin` there answers with a fresh link.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.staff.links import CODE_VALID, issue_telegram_code
from bot.web.access import local_path, public, requires
from bot.web.forms import text_fields
from bot.web.pages import NavItem, render, services_of
from bot.web.sessions import remember_language


@requires("editor")
async def account_page(request: Request) -> Response:
    """Who am I, in which language, is my Telegram account linked."""
    return render(request, "account.html", code=None)


@requires("editor")
async def telegram_code(request: Request) -> Response:
    """A code to send to the bot: it links the Telegram account that sends it."""
    services = services_of(request)
    code = await issue_telegram_code(
        services.storage.staff, request.state.staff.id, services.now()
    )
    minutes = int(CODE_VALID.total_seconds() // 60)
    return render(request, "account.html", code=code, minutes=minutes)


@public
async def set_language(request: Request) -> Response:
    """The language switch of every page: a cookie, and the account's language if signed in."""
    services = services_of(request)
    fields = await text_fields(request)
    language = fields.get("language", "")
    response = RedirectResponse(local_path(fields.get("next")), status_code=303)
    if language not in services.settings.languages:
        return response
    remember_language(response, services, language)
    staff = request.state.staff
    if staff is not None and staff.language != language:
        await services.storage.staff.change(staff.id, language=language)
    return response


routes = [
    Route("/account", account_page, methods=["GET"]),
    Route("/account/telegram", telegram_code, methods=["POST"]),
    Route("/language", set_language, methods=["POST"]),
]
nav = [
    NavItem(
        "/account",
        N_("My account"),
        "editor",
        N_("Your language, and your Telegram account for sign-in links."),
    )
]
