"""The landing page (the areas of the workspace open to the staff member) and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.web.access import public, requires
from bot.web.pages import render


@requires("editor")
async def dashboard(request: Request) -> Response:
    """Links to the areas of the staff member's role."""
    return render(request, "home.html")


@public
async def healthz(request: Request) -> Response:
    """For a load balancer or a monitor: the process answers."""
    return PlainTextResponse("ok")


routes = [
    Route("/", dashboard, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
]
