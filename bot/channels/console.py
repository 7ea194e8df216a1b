"""The local chat channel: a terminal conversation over the dialogue core, also scriptable."""

from __future__ import annotations

import asyncio
import html
import re
from typing import Final, TextIO

from bot.base.turns import Incoming, Reply
from bot.dialogue.services import Services

CONSOLE_CHAT_ID: Final = 1
_TAG: Final = re.compile(r"<a href=\"([^\"]*)\">.*?</a>|<[^>]+>")


def to_plain(text: str) -> str:
    """Telegram HTML to terminal text: links show their address, other tags disappear."""
    return html.unescape(_TAG.sub(lambda m: m[1] if m[1] is not None else "", text))


class ConsoleChat:
    """Reads one message per line; numbered choices stand for the last reply's buttons."""

    def __init__(self, services: Services, out: TextIO, chat_id: int = CONSOLE_CHAT_ID) -> None:
        self.content = services.content
        self.services = services
        self.dialogue = services.dialogue
        self.out = out
        self.chat_id = chat_id
        self._choices: list[str] = []

    async def send(self, line: str) -> tuple[Reply, ...]:
        """Handle one typed line (a number picks a button) and print the replies."""
        text = line.strip()
        # Live reload: an edited content file is picked up before the next message.
        result = self.content.reload_if_changed()
        if result is not None and result.problems:
            self.out.write("[content edit rejected, serving the last good content]\n")
            self.out.writelines(f"  {problem}\n" for problem in result.problems)
        # Phrasings added from the workspace's inbox: retrain in the background, answer now.
        self.services.retrain_if_changed()
        if text.isdigit() and 1 <= int(text) <= len(self._choices):
            incoming = Incoming(callback=self._choices[int(text) - 1])
        else:
            incoming = Incoming(text=text)
        replies = await self.dialogue.process(self.chat_id, incoming)
        self._print(replies)
        return replies

    def _print(self, replies: tuple[Reply, ...]) -> None:
        self._choices = []
        for reply in replies:
            self.out.write(to_plain(reply.text) + "\n")
            for row in reply.buttons:
                for button in row:
                    self._choices.append(button.data)
                    self.out.write(f"  [{len(self._choices)}] {button.label}\n")
            self.out.write("\n")
        self.out.flush()

    async def run(self, source: TextIO) -> None:
        """Chat until end of input; prompts only when a person is typing."""
        interactive = source.isatty()
        if interactive:
            self.out.write("preventbot — type a question (fr, nl, de, en); Ctrl-D to quit.\n\n")
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = await asyncio.to_thread(source.readline)
            if not line:
                break
            if line.strip():
                await self.send(line)
