"""The audit log: who did what, when (reviewers and admins)."""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.web.access import requires
from bot.web.pages import NavItem, render, services_of

LIMIT: Final = 200
# action -> what the page says (English msgids); an action not listed shows as it is stored.
ACTIONS: Final = {
    "signin": N_("Signed in"),
    "signout": N_("Signed out"),
    "staff.invite": N_("Invited a staff member"),
    "staff.link": N_("Sent a new sign-in link"),
    "staff.role": N_("Changed a role"),
    "staff.deactivate": N_("Closed an account"),
    "staff.telegram": N_("Linked a Telegram account"),
    "topic.new": N_("Started a new topic"),
    "topic.edit": N_("Started a draft of a topic"),
    "topic.save": N_("Saved a draft of a topic"),
    "topic.submit": N_("Sent a topic for review"),
    "topic.return": N_("Sent a topic back to its author"),
    "topic.approve": N_("Approved and published a topic"),
    "topic.publish_failed": N_("Publishing a topic failed"),
    "topic.discard": N_("Discarded a draft of a topic"),
    "topic.rebase": N_("Brought a draft up to date"),
    "topic.restore": N_("Restored an old version of a topic as a draft"),
    "campaign.draft": N_("Started a draft of campaign texts"),
    "campaign.submit": N_("Submitted campaign texts for review"),
    "campaign.approve": N_("Approved and published campaign texts"),
    "campaign.return": N_("Sent campaign texts back to their author"),
    "campaign.discard": N_("Discarded a draft of campaign texts"),
    "announcement.plan": N_("Planned an announcement"),
}


@requires("reviewer")
async def audit_log(request: Request) -> Response:
    """The newest entries first, optionally about one subject (`?subject=staff:3`)."""
    subject = request.query_params.get("subject", "").strip()[:200] or None
    entries = await services_of(request).storage.audit.recent(LIMIT, subject)
    return render(request, "audit.html", entries=entries, subject=subject, actions=ACTIONS)


routes = [Route("/audit", audit_log, methods=["GET"])]
nav = [
    NavItem("/audit", N_("Audit log"), "reviewer", N_("Who did what in the workspace, and when."))
]
