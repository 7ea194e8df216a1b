"""The dialogue's own replies: topic answers, the topic menu, the language chooser."""

from __future__ import annotations

from typing import Final

from bot.base.i18n import Gettext
from bot.base.languages import LANGUAGE_NAMES
from bot.base.turns import Button, Reply, esc, link, rows
from bot.catalog.topics import Catalog, Referral, Topic

# Callback-data prefixes, matched with anchored patterns; callback data is at most 64 bytes.
CB_LANGUAGE: Final = "lang:"
CB_TOPIC: Final = "topic:"
CB_MORE: Final = "more:"
CB_MENU: Final = "menu"
CB_GROUP: Final = "group:"
CB_VOTE: Final = "vote:"
CB_FORGET: Final = "forget:"


def topic_answer(topic: Topic, catalog: Catalog, language: str, _: Gettext) -> Reply:
    """The short answer with its sources, and buttons for more, related topics and a vote."""
    text = topic.text(language)
    sources = "\n".join(link(url) for url in text.sources)
    # Note: outside the f-string, or babel does not extract it.
    label = _("Sources:") if len(text.sources) > 1 else _("Source:")
    body = f"<b>{esc(text.title)}</b>\n\n{esc(text.answer)}\n\n{esc(label)}\n{sources}"
    buttons: list[Button] = []
    if text.more:
        buttons.append(Button(_("Tell me more"), f"{CB_MORE}{topic.id}@{language}"))
    for related_id in topic.related[:3]:
        related = catalog.topics.get(related_id)
        if related is not None:
            label = "→ " + related.text(language).title
            buttons.append(Button(label, f"{CB_TOPIC}{related_id}@{language}"))
    vote = (
        Button("👍 " + _("Helpful"), f"{CB_VOTE}{topic.id}:1@{language}"),
        Button("👎 " + _("Not helpful"), f"{CB_VOTE}{topic.id}:0@{language}"),
    )
    menu = (Button(_("Topic menu"), CB_MENU),)
    return Reply(body, (*rows(buttons), vote, menu))


def referral_answer(referral: Referral, language: str, _: Gettext) -> Reply:
    """Which official service handles a near-scope question, with its sources, and the menu."""
    text = referral.text(language)
    sources = "\n".join(link(url) for url in text.sources)
    label = _("Sources:") if len(text.sources) > 1 else _("Source:")
    body = f"<b>{esc(text.title)}</b>\n\n{esc(text.answer)}\n\n{esc(label)}\n{sources}"
    return Reply(body, ((Button(_("Topic menu"), CB_MENU),),))


def topic_more(topic: Topic, language: str, _: Gettext) -> Reply:
    """The longer part of a topic (or its short answer when it has none)."""
    text = topic.text(language)
    more = text.more or text.answer
    body = f"<b>{esc(text.title)}</b>\n\n{esc(more)}"
    return Reply(body, ((Button(_("Topic menu"), CB_MENU),),))


def group_menu(catalog: Catalog, language: str, _: Gettext, intro: str | None = None) -> Reply:
    """The top of the topic menu: one button per group."""
    # Note: menu buttons carry no language: they follow the user's current choice.
    text = esc(intro if intro is not None else _("Choose a subject:"))
    buttons = [Button(group.titles[language], f"{CB_GROUP}{group.id}") for group in catalog.groups]
    return Reply(text, rows(buttons))


def topics_menu(catalog: Catalog, group_id: str, language: str, _: Gettext) -> Reply | None:
    """The topics of one menu group, or None if the group does not exist."""
    group = catalog.group(group_id)
    if group is None:
        return None
    buttons = [
        Button(catalog.topics[topic_id].text(language).title, f"{CB_TOPIC}{topic_id}")
        for topic_id in group.topics
        if topic_id in catalog.topics
    ]
    buttons.append(Button("↩ " + _("All subjects"), CB_MENU))
    return Reply(f"<b>{esc(group.titles[language])}</b>", rows(buttons))


def language_chooser(_: Gettext) -> Reply:
    """The four languages as buttons."""
    buttons = [Button(name, f"{CB_LANGUAGE}{code}") for code, name in LANGUAGE_NAMES.items()]
    return Reply(esc(_("Choose your language:")), rows(buttons, per_row=2))
