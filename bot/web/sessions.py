"""Who is asking: the session cookie, the CSRF token and the page language of each request.

`pb_session` holds a random session id, signed; the database keeps only a digest of the id
(a copy of it signs nobody in) with the session's CSRF token and expiry. Anonymous visitors get
a signed `pb_csrf` cookie instead, so that their forms (sign in, language) are protected too.
The middleware sets, for every request:

    request.state.staff     StaffMember | None
    request.state.csrf      str: the token every form and htmx request must send back
    request.state.language  the staff member's language, else the visitor's choice or the
                            browser's (Accept-Language), else the default
    request.state.session   the session id's digest, None when anonymous
"""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Final

from babel import Locale, UnknownLocaleError, negotiate_locale
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.staff.tokens import SESSION, digest, new_token
from bot.storage import StaffSession
from bot.web.services import WebServices

SESSION_COOKIE: Final = "pb_session"
CSRF_COOKIE: Final = "pb_csrf"
LANGUAGE_COOKIE: Final = "pb_lang"
# Static files and the health check need no session: no database query for them.
SESSIONLESS: Final = ("/static/", "/healthz")
SECURITY_HEADERS: Final = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # a sign-in link's path never travels in a Referer
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


class SessionMiddleware:
    """Loads the session (pure ASGI: the state is shared with error handlers and pages)."""

    def __init__(self, app: ASGIApp, services: WebServices) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Set the request state, then add cookies and security headers to the answer."""
        if scope["type"] != "http" or scope["path"].startswith(SESSIONLESS):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session = await self._session(request)
        cookies: list[str] = []
        if session is None:
            if request.cookies.get(SESSION_COOKIE):
                cookies.append(_expired(SESSION_COOKIE))  # expired, forged or signed out
            csrf = self.services.signer.unsign(request.cookies.get(CSRF_COOKIE), CSRF_COOKIE)
            if csrf is None:
                csrf = new_token()
                signed = self.services.signer.sign(csrf, CSRF_COOKIE)
                cookies.append(self._cookie(CSRF_COOKIE, signed, max_age=None))
            request.state.staff, request.state.csrf, request.state.session = None, csrf, None
        else:
            request.state.staff, request.state.csrf = session.staff, session.csrf
            request.state.session = _session_digest(request, self.services)
        request.state.language = self._language(request)

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                for cookie in cookies:
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, answer)

    async def _session(self, request: Request) -> StaffSession | None:
        hashed = _session_digest(request, self.services)
        if hashed is None:
            return None
        return await self.services.storage.staff.session(hashed, self.services.now())

    def _language(self, request: Request) -> str:
        languages = self.services.settings.languages
        staff = request.state.staff
        if staff is not None and staff.language in languages:
            return str(staff.language)
        chosen = request.cookies.get(LANGUAGE_COOKIE)
        if chosen in languages:
            return str(chosen)
        browser = from_accept_language(request.headers.get("accept-language", ""), languages)
        return browser or self.services.settings.default_language

    def _cookie(self, name: str, value: str, max_age: int | None) -> str:
        return cookie_header(self.services, name, value, max_age)


def _session_digest(request: Request, services: WebServices) -> str | None:
    session_id = services.signer.unsign(request.cookies.get(SESSION_COOKIE), SESSION_COOKIE)
    return digest(session_id, SESSION) if session_id else None


def cookie_header(services: WebServices, name: str, value: str, max_age: int | None) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure behind an https URL."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    if services.settings.web.public_url.startswith("https://"):
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString()


def _expired(name: str) -> str:
    return f"{name}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"


def start_session(response: Response, services: WebServices, session_id: str) -> None:
    """Give the browser its new session cookie (after a successful sign-in)."""
    hours = services.settings.web.session_hours
    signed = services.signer.sign(session_id, SESSION_COOKIE)
    max_age = int(timedelta(hours=hours).total_seconds())
    response.headers.append("set-cookie", cookie_header(services, SESSION_COOKIE, signed, max_age))


def end_session(response: Response) -> None:
    """Make the browser forget its session cookie."""
    response.headers.append("set-cookie", _expired(SESSION_COOKIE))


def remember_language(response: Response, services: WebServices, language: str) -> None:
    """Keep a visitor's language choice for a year (signed-in staff: also in their account)."""
    year = int(timedelta(days=365).total_seconds())
    response.headers.append("set-cookie", cookie_header(services, LANGUAGE_COOKIE, language, year))


def from_accept_language(header: str, languages: tuple[str, ...]) -> str | None:
    """The best of `languages` for an Accept-Language header (`nl-BE,nl;q=0.9,en;q=0.8`)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag.strip().replace("-", "_")))
    preferred = [tag for _q, _p, tag in sorted(weighted)]
    found = negotiate_locale(preferred, list(languages))
    if found is None:
        return None
    try:
        return Locale.parse(found).language
    except (ValueError, UnknownLocaleError):
        return None
