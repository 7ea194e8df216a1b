"""Replies to what is not ours to answer: noise, abuse, "are you a bot?", another country.

Each kind gets a reply that fits it rather than the generic fallback; none is recorded as an
unanswered question (they are not gaps in the content). Near-scope questions (referrals) are
curated content and answered by the answers flow; "anything else" stays with it too, so that
genuine unknowns are still recorded.
"""

from __future__ import annotations

from typing import ClassVar

from bot.base.flows import Flow
from bot.base.i18n import Gettext
from bot.base.turns import Button, Outcome, Reply, Turn, Understood, esc
from bot.catalog.store import ContentStore
from bot.dialogue.replies import CB_MENU, CB_TOPIC, group_menu
from nlu import ABUSE_INTENT, BOT_IDENTITY_INTENT, NOISE_INTENT, OTHER_COUNTRY_INTENT


class ScopeFlow(Flow):
    """A fitting reply to each kind of out-of-scope message."""

    name = "scope"
    intents: ClassVar = (NOISE_INTENT, ABUSE_INTENT, BOT_IDENTITY_INTENT, OTHER_COUNTRY_INTENT)

    def __init__(self, content: ContentStore) -> None:
        self.content = content

    async def on_intent(self, turn: Turn, understood: Understood) -> Outcome:
        """The reply of the message's kind."""
        _ = turn.gettext
        if understood.intent == NOISE_INTENT:
            intro = _(
                "Sorry, I did not understand. Ask me a question in your own words, or "
                "choose a subject:"
            )
            return turn.reply(group_menu(self.content.catalog, turn.language, _, intro))
        if understood.intent == ABUSE_INTENT:
            return turn.reply(abuse_reply(_))
        if understood.intent == BOT_IDENTITY_INTENT:
            return turn.reply(bot_identity_reply(_))
        return turn.reply(other_country_reply(_))


def abuse_reply(_: Gettext) -> Reply:
    """A calm answer to an insult, and the way back to the subjects."""
    text = _(
        "I am sorry this did not help. I am an automated assistant and I can only give "
        "crime-prevention advice for Belgium. Ask me a question in your own words, or choose a "
        "subject from the menu."
    )
    return Reply(esc(text), ((Button(_("Topic menu"), CB_MENU),),))


def bot_identity_reply(_: Gettext) -> Reply:
    """An honest "I am a program", and how to reach a person: the police zone, 101, 112."""
    paragraphs = [
        _(
            "I am an automated assistant, a computer program, not a person. My answers are "
            "written from official Belgian prevention sources."
        ),
        _(
            "To talk to a person, contact your local police zone: the police station or your "
            "community police officer."
        ),
        _("In an emergency, call 101 (police); 112 for the fire brigade or an ambulance."),
    ]
    buttons = (
        (Button(_("Emergency numbers"), f"{CB_TOPIC}emergency.numbers"),),
        (Button(_("Topic menu"), CB_MENU),),
    )
    return Reply("\n\n".join(map(esc, paragraphs)), buttons)


def other_country_reply(_: Gettext) -> Reply:
    """ "I can only advise about Belgium", and the police of that country in general terms."""
    paragraphs = [
        _(
            "I can only advise about Belgium: rules, numbers and services are different in "
            "other countries."
        ),
        _(
            "For a question about another country, contact the local police or the authorities "
            "of that country. Abroad, 112 puts you through to the emergency services of the "
            "country you are in."
        ),
    ]
    return Reply("\n\n".join(map(esc, paragraphs)), ((Button(_("Topic menu"), CB_MENU),),))
