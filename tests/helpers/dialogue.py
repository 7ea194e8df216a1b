"""Drive the dialogue core as a user would: say a text, press a button, read the replies."""

from __future__ import annotations

from bot.base.turns import Incoming, Reply
from bot.dialogue.router import Dialogue


async def say(
    dialogue: Dialogue, text: str, chat_id: int = 10, code: str | None = None
) -> tuple[Reply, ...]:
    """Send a text (or a command) as chat `chat_id` whose Telegram language is `code`."""
    return await dialogue.process(chat_id, Incoming(text=text, language_code=code))


async def press(
    dialogue: Dialogue, data: str, chat_id: int = 10, code: str | None = None
) -> tuple[Reply, ...]:
    """Press the button whose callback data is `data`."""
    return await dialogue.process(chat_id, Incoming(callback=data, language_code=code))


def texts(replies: tuple[Reply, ...]) -> str:
    """All reply texts, one after the other."""
    return "\n".join(reply.text for reply in replies)


def callbacks(replies: tuple[Reply, ...]) -> list[str]:
    """The callback data of every button of the replies."""
    return [button.data for reply in replies for row in reply.buttons for button in row]


def buttons(reply: Reply) -> dict[str, str]:
    """Button label -> callback data."""
    return {button.label: button.data for row in reply.buttons for button in row}
