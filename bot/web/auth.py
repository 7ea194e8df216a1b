"""Signing in with a one-time link, and signing out.

`GET /signin/{token}` only shows a button: link scanners and chat previews fetch addresses
with GET, and must not use up the link. The button's POST uses the link and opens a session.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.staff.tokens import SESSION, SIGNIN, digest, new_token
from bot.storage import AuditNote
from bot.web.access import local_path, public, requires
from bot.web.forms import text_fields
from bot.web.pages import render, services_of
from bot.web.sessions import end_session, start_session


@public
async def signin_help(request: Request) -> Response:
    """How to get a sign-in link (there are no passwords)."""
    if request.state.staff is not None:
        return RedirectResponse(local_path(request.query_params.get("next")), status_code=303)
    return render(request, "signin.html", next=local_path(request.query_params.get("next")))


@public
async def confirm(request: Request) -> Response:
    """The landing page of a sign-in link: one button, nothing used yet."""
    target = local_path(request.query_params.get("next"))
    return render(request, "signin_confirm.html", next=target)


@public
async def signin(request: Request) -> Response:
    """Use the link, open a session, go where the staff member was heading."""
    services = services_of(request)
    fields = await text_fields(request)
    now = services.now()
    session_id, csrf = new_token(), new_token()
    expires = now + timedelta(hours=services.settings.web.session_hours)
    token_hash = digest(request.path_params["token"], SIGNIN)
    session = (digest(session_id, SESSION), csrf, expires.timestamp())
    member = await services.storage.staff.sign_in(token_hash, session, now)
    if member is None:
        return render(request, "signin_invalid.html", status=400)
    if request.state.session is not None:  # someone else's session in this browser ends
        await services.storage.staff.end_session(request.state.session)
    response = RedirectResponse(local_path(fields.get("next")), status_code=303)
    start_session(response, services, session_id)
    return response


@requires("editor")
async def signout(request: Request) -> Response:
    """End the session here and in the database."""
    services = services_of(request)
    staff = request.state.staff
    note = AuditNote(staff.id, "signout", f"staff:{staff.id}")
    await services.storage.staff.end_session(request.state.session, note, services.now())
    response = RedirectResponse("/signin", status_code=303)
    end_session(response)
    return response


routes = [
    Route("/signin", signin_help, methods=["GET"]),
    Route("/signin/{token}", confirm, methods=["GET"]),
    Route("/signin/{token}", signin, methods=["POST"]),
    Route("/signout", signout, methods=["POST"]),
]
