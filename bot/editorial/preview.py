"""The topic a draft would become, for the Telegram preview (bot.channels.telegram.preview).

The preview itself is the channel's: it renders with the bot's own `topic_answer` and Telegram's
splitting, which a feature package may not import. A page shows a draft as:

    topic = draft_topic(form)
    messages = preview_topic(topic, catalog, language, translator.gettext(language))
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Final

from bot.catalog.topics import Topic, read_topic
from bot.editorial.form import TopicForm
from bot.editorial.validation import form_yaml

_NOWHERE: Final = Path("draft.yml")  # the text is read as if it were this file: no file access
_UNNAMED: Final = "new.topic"


def draft_topic(form: TopicForm) -> Topic:
    """The topic as the catalog's reader builds it from the form, problems or not.

    What the reader cannot take (a bad link, a blank field) is left out or blank, exactly as it
    would be missing from the bot's answer; `validate` says why.
    """
    named = form if form.id else replace(form, id=_UNNAMED)
    topic = read_topic(_NOWHERE, [], form_yaml(named), lenient=True)
    if topic is None:  # cannot happen: the form's YAML is a mapping with an id
        raise ValueError(f"draft of {form.id!r} unreadable")
    return topic
