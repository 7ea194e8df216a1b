"""/reload for admins: read `content/` again now, or say why the edit was rejected."""

from __future__ import annotations

from typing import ClassVar, Final

from bot.base.flows import Command, Flow
from bot.base.i18n import N_
from bot.base.turns import Outcome, Reply, Turn, esc
from bot.catalog.store import ContentStore

MAX_PROBLEMS_SHOWN: Final = 20


class ReloadFlow(Flow):
    """Reloads the content on demand (the bot also polls the files)."""

    name = "reload"
    commands: ClassVar = (Command("reload", N_("Reload the content files"), admin=True),)

    def __init__(self, content: ContentStore) -> None:
        self.content = content

    async def on_command(self, turn: Turn, command: str, argument: str) -> Outcome:
        """Reload and report the topic count or the problems."""
        _ = turn.gettext
        result = self.content.reload()
        if result.problems:
            details = "\n".join(str(problem) for problem in result.problems[:MAX_PROBLEMS_SHOWN])
            head = _("The edit was rejected; I keep serving the last good content:")
            return turn.reply(Reply(esc(head) + "\n<pre>" + esc(details) + "</pre>"))
        count = len(self.content.catalog.topics)
        return turn.reply(Reply(esc(_("Content reloaded: {count} topics.").format(count=count))))
