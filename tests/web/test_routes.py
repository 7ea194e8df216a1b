"""Every route of the workspace, walked as anonymous, editor, reviewer and admin.

Each answer is one of: the sign-in redirect (anonymous on a staff page), 403 (role too low, or
a form without the CSRF token), or the page itself. A route added without an entry in
`SAMPLES` for its path parameters fails here with the parameter's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from bot.web.access import RANK, required_role
from bot.web.app import PAGES, page_routes
from tests.helpers.web import add_staff, anonymous_csrf, open_session

ROLES = (None, "editor", "reviewer", "admin")  # None: anonymous
# A value for each path parameter of the routes ({staff_id}: the account made first, id 1;
# {topic_id}: a published topic; {campaign_id}: a campaign of content/campaigns.yml;
# {draft_id}, {version_id}: none (refused for their content).
SAMPLES = {
    "token": "not-a-real-token",
    "staff_id": "1",
    "topic_id": "plp.join",
    "campaign_id": "dark-season",
    "draft_id": "1",
    "version_id": "1",
    "chart": "questions",
}
PUBLIC = {"/signin", "/signin/{token}", "/healthz", "/language"}


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    required: str | None  # None: public
    role: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.path} as {self.role or 'anonymous'}"


def cases() -> list[Case]:
    return [
        Case(method, route.path, required_role(route.endpoint), role)
        for route in page_routes(PAGES)
        for method in sorted(route.methods or ())
        if method != "HEAD"
        for role in ROLES
    ]


def url(path: str) -> str:
    def sample(match: re.Match[str]) -> str:
        name = match[1]
        assert name in SAMPLES, f"add a sample value for {{{name}}} to SAMPLES"
        return SAMPLES[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", sample, path)


def is_signin_redirect(answer: httpx.Response) -> bool:
    return answer.status_code == 303 and answer.headers["location"].startswith("/signin?next=")


@pytest.mark.parametrize("case", cases(), ids=str)
async def test_each_route_answers_each_role(
    case: Case, web: Starlette, client: httpx.AsyncClient
) -> None:
    target = await add_staff(web, "editor", "Target")  # the {staff_id} of the samples
    assert str(target.id) == SAMPLES["staff_id"]
    if case.role is None:
        csrf = await anonymous_csrf(client, web)
    else:
        csrf = await open_session(client, web, await add_staff(web, case.role))
    allowed = case.required is None or (
        case.role is not None and RANK[case.role] >= RANK[case.required]
    )
    address = url(case.path)

    if case.method == "GET":
        answer = await client.get(address)
        if case.required is not None and case.role is None:
            assert is_signin_redirect(answer)
        elif not allowed:
            assert answer.status_code == 403
        elif case.required is None and case.role is not None:
            assert answer.status_code in (200, 303)  # /signin sends staff on to their page
        else:
            assert answer.status_code == 200
        return

    without = await client.request(case.method, address, data={"csrf": ""})
    answer = await client.request(case.method, address, data={"csrf": csrf})
    if case.required is not None and case.role is None:
        assert is_signin_redirect(without)
        assert is_signin_redirect(answer)
    elif not allowed:
        assert (without.status_code, answer.status_code) == (403, 403)
    else:
        assert without.status_code == 403
        assert "expired" in without.text  # the CSRF page, not the role page
        # With the token the form is handled: done, redirected, or refused for its content.
        assert answer.status_code in (200, 303, 400)


def test_every_route_is_walked_and_declares_its_access(web: Starlette) -> None:
    walked = {(case.method, case.path) for case in cases()}
    for route in web.routes:
        if isinstance(route, Mount):
            assert route.path == "/static"
            continue
        assert isinstance(route, Route)
        for method in route.methods or ():
            assert method == "HEAD" or (method, route.path) in walked
    public = {case.path for case in cases() if case.required is None}
    assert public == PUBLIC


async def test_static_files_are_public(client: httpx.AsyncClient) -> None:
    answer = await client.get("/static/no-such-file.css")
    assert answer.status_code == 404  # not a sign-in redirect


async def test_an_unknown_address_gets_the_404_page(client: httpx.AsyncClient) -> None:
    answer = await client.get("/no/such/page")
    assert answer.status_code == 404
    assert "<html" in answer.text


def test_a_route_without_access_declaration_stops_the_start(web: Starlette) -> None:
    from types import SimpleNamespace

    from starlette.responses import PlainTextResponse

    async def open_page(request: object) -> PlainTextResponse:
        return PlainTextResponse("open")

    module = SimpleNamespace(routes=[Route("/open", open_page)])
    with pytest.raises(LookupError, match="declares no access"):
        list(page_routes((module,)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("role", "areas"),
    [
        ("editor", ["/topics", "/inbox", "/campaigns", "/dashboard", "/account"]),
        (
            "reviewer",
            ["/topics", "/review", "/inbox", "/campaigns", "/dashboard", "/audit", "/account"],
        ),
        (
            "admin",
            [
                "/topics",
                "/review",
                "/inbox",
                "/campaigns",
                "/announcements",
                "/dashboard",
                "/staff",
                "/audit",
                "/account",
            ],
        ),
    ],
)
async def test_the_navigation_shows_the_areas_of_the_role(
    web: Starlette, client: httpx.AsyncClient, role: str, areas: list[str]
) -> None:
    await open_session(client, web, await add_staff(web, role))
    page = (await client.get("/")).text
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="(/[a-z]+)"', nav) == areas


async def test_a_failing_page_gets_the_500_page_and_a_log_line(
    web: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    from types import SimpleNamespace

    from bot.web.access import requires
    from bot.web.app import create_app

    @requires("editor")
    async def broken(request: object) -> None:
        raise RuntimeError("boom")

    module = SimpleNamespace(routes=[Route("/broken", broken)])
    app = create_app(web.state.services, pages=(*PAGES, module))  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await open_session(client, app, await add_staff(app, "editor"))
        answer = await client.get("/broken")
    assert answer.status_code == 500
    assert "Something went wrong" in answer.text
    assert "boom" not in answer.text
    assert "Workspace page /broken failed" in caplog.text
