"""/signin in the bot: a staff member's fresh sign-in link, in their private chat only."""

from __future__ import annotations

from typing import ClassVar

from bot.base.flows import Command, Flow
from bot.base.i18n import N_
from bot.base.turns import Outcome, Reply, Turn, esc, link
from bot.staff.links import issue_link, link_telegram
from bot.storage import StaffStore


class SigninFlow(Flow):
    """`/signin` answers a linked staff member with a link; `/signin CODE` links the account.

    Anyone else gets the same neutral answer, whether or not an account exists; a group never
    sees a link (Telegram gives private chats the user's own id, groups a negative id).
    """

    name = "signin"
    commands: ClassVar = (
        Command("signin", N_("Sign in to the prevention services' workspace"), menu=False),
    )

    def __init__(self, store: StaffStore, public_url: str) -> None:
        self.store = store
        self.public_url = public_url

    async def on_command(self, turn: Turn, command: str, argument: str) -> Outcome:
        """A fresh link, or the linking of this Telegram account with a code from the web."""
        _ = turn.gettext
        chat_id = turn.user.chat_id
        if chat_id <= 0:
            return turn.reply(Reply(esc(_("Send me this command in a private chat."))))
        if argument:
            member = await link_telegram(self.store, argument, chat_id, turn.now)
            if member is None:
                return turn.reply(Reply(esc(_("This code is not valid (any more)."))))
        else:
            member = await self.store.by_telegram(chat_id)
        if member is None or not member.active:
            return turn.reply(Reply(esc(_("Signing in is not available for this account."))))
        url = await issue_link(self.store, member.id, self.public_url, turn.now)
        text = _("Your sign-in link for the workspace, valid 24 hours and usable once:")
        return turn.reply(Reply(esc(text) + "\n" + link(url)))
