"""Who may use a route: every endpoint declares a role (or `public`), checked before it runs.

Roles are ordered editor < reviewer < admin: an admin may do everything a reviewer may, a
reviewer everything an editor may. Anonymous visitors of a staff page are sent to `/signin`
(303, with `next`); a staff member whose role is too low gets the 403 page. Every request
that may change something (POST, PUT, PATCH, DELETE) must carry the CSRF token of the browser:
form field `csrf` or header `X-CSRF-Token` (htmx sends it: see `templates/base.html`).

    @requires("admin")
    async def staff_list(request: Request) -> Response: ...
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Final
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.storage import ROLES

Endpoint = Callable[[Request], Awaitable[Response]]

RANK: Final = {role: rank for rank, role in enumerate(ROLES)}  # editor 0, reviewer 1, admin 2
PUBLIC: Final = "public"
ACCESS_ATTRIBUTE: Final = "required_role"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD: Final = "csrf"
CSRF_HEADER: Final = "X-CSRF-Token"
SIGNIN_PATH: Final = "/signin"


def allows(role: str | None, required: str) -> bool:
    """Whether a staff member with `role` may use what `required` (a role) protects."""
    return role is not None and RANK[role] >= RANK[required]


def requires(role: str) -> Callable[[Endpoint], Endpoint]:
    """Mark an endpoint for staff with at least `role`; anonymous visitors go to sign in."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")

    def decorate(endpoint: Endpoint) -> Endpoint:
        @wraps(endpoint)
        async def guarded(request: Request) -> Response:
            staff = request.state.staff
            if staff is None:
                return signin_redirect(request)
            if not allows(staff.role, role):
                raise HTTPException(403)
            await check_csrf(request)
            return await endpoint(request)

        setattr(guarded, ACCESS_ATTRIBUTE, role)
        return guarded

    return decorate


def public(endpoint: Endpoint) -> Endpoint:
    """Mark an endpoint open to everyone (its forms are still CSRF-checked)."""

    @wraps(endpoint)
    async def checked(request: Request) -> Response:
        await check_csrf(request)
        return await endpoint(request)

    setattr(checked, ACCESS_ATTRIBUTE, PUBLIC)
    return checked


def required_role(endpoint: object) -> str | None:
    """The role an endpoint requires, None when public; LookupError when it declares none."""
    declared = getattr(endpoint, ACCESS_ATTRIBUTE, None)
    if declared is None:
        raise LookupError(f"{endpoint!r} declares no access: use @requires(role) or @public")
    return None if declared == PUBLIC else str(declared)


async def check_csrf(request: Request) -> None:
    """403 unless a request that may change something carries the browser's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected: str = request.state.csrf
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, "csrf")


def signin_redirect(request: Request) -> Response:
    """To the sign-in page, coming back here afterwards (htmx: a full-page redirect)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = f"{SIGNIN_PATH}?next={quote(here, safe='/')}"
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site (no scheme, host or `//`), else `default`."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(char) < 32 for char in target)
    ):
        return default
    return target
