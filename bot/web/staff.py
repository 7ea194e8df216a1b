"""Staff accounts (admins): the list, invitations, roles, closing an account, new links.

A new sign-in link is shown once, on the page that answers the form, and never stored in
clear: the address bar, the history and the audit log never hold it.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.staff import accounts
from bot.staff.accounts import StaffError
from bot.staff.links import issue_link
from bot.storage import ROLES, AuditNote
from bot.web.access import requires
from bot.web.forms import text_fields
from bot.web.pages import NavItem, render, services_of

CLOSED: Final = N_("This account does not exist or is closed.")
# ?done=... after a change (fixed texts: nothing from the address is shown).
DONE: Final = {
    "role": N_("The role was changed."),
    "deactivate": N_("The account was closed: its sessions and links no longer work."),
}


@requires("admin")
async def staff_list(request: Request) -> Response:
    """Every account, with the invitation form."""
    done = DONE.get(request.query_params.get("done", ""))
    return await _page(request, message=done)


@requires("admin")
async def invite(request: Request) -> Response:
    """Create an account and show its sign-in link once."""
    services = services_of(request)
    fields = await text_fields(request)
    name, role = fields.get("name", ""), fields.get("role", "")
    language = fields.get("language", services.settings.default_language)
    try:
        member, url = await accounts.invite(
            services.storage.staff,
            name,
            role,
            language,
            services.settings.web.public_url,
            services.now(),
            by=request.state.staff.id,
        )
    except StaffError as exc:
        form = {"name": name, "role": role, "language": language}
        return await _page(request, status=400, error=exc.text, form=form)
    return render(request, "staff_link.html", member=member, url=url, new=True)


@requires("admin")
async def new_link(request: Request) -> Response:
    """A fresh sign-in link for an existing account (a lost or expired one)."""
    services = services_of(request)
    staff_id = request.path_params["staff_id"]
    member = await services.storage.staff.get(staff_id)
    if member is None or not member.active:
        return await _page(request, status=400, error=CLOSED)
    note = AuditNote(request.state.staff.id, "staff.link", f"staff:{staff_id}", member.name)
    public_url = services.settings.web.public_url
    url = await issue_link(services.storage.staff, staff_id, public_url, services.now(), note)
    return render(request, "staff_link.html", member=member, url=url, new=False)


@requires("admin")
async def change_role(request: Request) -> Response:
    """Give an account another role."""
    services = services_of(request)
    role = (await text_fields(request)).get("role", "")
    try:
        await accounts.change_role(
            services.storage.staff,
            request.state.staff,
            request.path_params["staff_id"],
            role,
            services.now(),
        )
    except StaffError as exc:
        return await _page(request, status=400, error=exc.text)
    return RedirectResponse("/staff?done=role", status_code=303)


@requires("admin")
async def deactivate(request: Request) -> Response:
    """Close an account."""
    services = services_of(request)
    try:
        await accounts.deactivate(
            services.storage.staff,
            request.state.staff,
            request.path_params["staff_id"],
            services.now(),
        )
    except StaffError as exc:
        return await _page(request, status=400, error=exc.text)
    return RedirectResponse("/staff?done=deactivate", status_code=303)


async def _page(request: Request, status: int = 200, **context: Any) -> Response:
    members = await services_of(request).storage.staff.all()
    context.setdefault("form", {})
    return render(request, "staff.html", status, members=members, roles=ROLES, **context)


routes = [
    Route("/staff", staff_list, methods=["GET"]),
    Route("/staff/invite", invite, methods=["POST"]),
    Route("/staff/{staff_id:int}/role", change_role, methods=["POST"]),
    Route("/staff/{staff_id:int}/link", new_link, methods=["POST"]),
    Route("/staff/{staff_id:int}/deactivate", deactivate, methods=["POST"]),
]
nav = [
    NavItem(
        "/staff",
        N_("Staff"),
        "admin",
        N_("Invite colleagues, change their roles, close accounts."),
    )
]
