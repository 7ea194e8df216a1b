"""What Telegram shows for a reply, without sending it: the workspace's preview of a topic.

The same steps as `send_reply`: the text split under Telegram's limit (`message_texts`), the
keyboard on the last message, each button's label as Telegram shows it (`shown_label`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.base.i18n import Gettext
from bot.base.turns import Reply
from bot.catalog.topics import Catalog, Topic
from bot.channels.telegram.keyboards import shown_label
from bot.channels.telegram.text import message_texts
from bot.dialogue.replies import topic_answer, topic_more


@dataclass(frozen=True, slots=True)
class PreviewMessage:
    """One message as Telegram shows it.

    `html` is Telegram HTML (only <b>, <i>, <a href="https://...">, <pre>; every text typed by an
    editor is escaped by the bot's renderer): safe to put in a page as markup. `buttons` are rows
    of labels in plain text (escape them like any text); only the last message has them.
    """

    html: str
    buttons: tuple[tuple[str, ...], ...] = ()


def preview_reply(reply: Reply) -> list[PreviewMessage]:
    """The messages `send_reply` would send for `reply`."""
    rows = tuple(
        labels
        for row in reply.buttons
        if (labels := tuple(label for b in row if (label := shown_label(b)) is not None))
    )
    texts = message_texts(reply.text, bool(rows))
    return [
        PreviewMessage(text, rows if index == len(texts) - 1 else ())
        for index, text in enumerate(texts)
    ]


def preview_topic(
    topic: Topic, catalog: Catalog, language: str, gettext: Gettext, more: bool = False
) -> list[PreviewMessage]:
    """The bot's answer on `topic` in `language` (or its "Tell me more" part), as sent."""
    if more:
        return preview_reply(topic_more(topic, language, gettext))
    return preview_reply(topic_answer(topic, catalog, language, gettext))
