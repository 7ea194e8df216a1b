"""Topic answers: recognised questions, deep links, "tell me more", votes, the unsure menu."""

from __future__ import annotations

from typing import ClassVar, Final

from bot.base.flows import Flow
from bot.base.turns import (
    ANSWERED,
    OPENED,
    UNANSWERED,
    Button,
    Outcome,
    Reply,
    Turn,
    Understood,
    esc,
    rows,
)
from bot.catalog.store import ContentStore
from bot.dialogue import replies as r
from bot.dialogue.registry import ANY_INTENT
from bot.gaps.recorder import GapRecorder

GUESS_MIN_CONFIDENCE: Final = 0.08
MAX_GUESSES: Final = 3


class AnswersFlow(Flow):
    """Answers every intent no other flow claims: a topic, a referral to another service, or a
    menu of the best guesses."""

    name = "answers"
    callbacks: ClassVar = (r.CB_TOPIC, r.CB_MORE, r.CB_VOTE)
    intents: ClassVar = (ANY_INTENT,)

    def __init__(self, content: ContentStore, gaps: GapRecorder) -> None:
        self.content = content
        self.gaps = gaps

    async def on_intent(self, turn: Turn, understood: Understood) -> Outcome:
        """The topic's answer, or (recorded as a gap) the best guesses and the menu."""
        catalog = self.content.catalog
        topic = catalog.topics.get(understood.intent)
        if topic is not None:
            answer = turn.reply(r.topic_answer(topic, catalog, turn.language, turn.gettext))
            return answer.counted(turn.usage(ANSWERED, topic.id))
        referral = catalog.referrals.get(understood.intent)
        if referral is not None:
            # A near-scope question: curated, so not a gap in the content.
            answer = turn.reply(r.referral_answer(referral, turn.language, turn.gettext))
            return answer.counted(turn.usage(ANSWERED, referral.id))
        guesses = [intent for intent, _confidence in understood.guesses[:MAX_GUESSES]]
        await self.gaps.unanswered(understood.text, turn.language, guesses, turn.now)
        return turn.reply(self._unsure(turn, understood)).counted(turn.usage(UNANSWERED))

    async def on_start(self, turn: Turn, payload: str) -> Outcome | None:
        """t.me/<bot>?start=<topic id with "-" for ".">."""
        catalog = self.content.catalog
        topic = catalog.topics.get(payload.replace("-", "."))
        if topic is None:
            return None
        answer = turn.reply(r.topic_answer(topic, catalog, turn.language, turn.gettext))
        return answer.counted(turn.usage(OPENED, topic.id))

    async def on_button(self, turn: Turn, data: str) -> Outcome | None:
        """A related topic, the longer part of an answer, or a vote on it."""
        catalog = self.content.catalog
        prefix, _sep, value = data.partition(":")
        if prefix == "vote":
            topic_id, _sep, vote = value.rpartition(":")
            if topic_id not in catalog.topics or vote not in ("0", "1"):
                return None
            await self.gaps.vote(topic_id, turn.language, vote == "1", turn.now)
            return turn.reply(Reply(esc(turn.gettext("Thank you for your feedback."))))
        topic = catalog.topics.get(value)
        if topic is None:
            return None
        if prefix == "more":
            return turn.reply(r.topic_more(topic, turn.language, turn.gettext))
        answer = turn.reply(r.topic_answer(topic, catalog, turn.language, turn.gettext))
        return answer.counted(turn.usage(OPENED, topic.id))

    def _unsure(self, turn: Turn, understood: Understood) -> Reply:
        _, language = turn.gettext, turn.language
        topics = self.content.catalog.topics
        guesses = [
            Button(topics[intent].text(language).title, f"{r.CB_TOPIC}{intent}@{language}")
            for intent, confidence in understood.guesses
            if intent in topics and confidence >= GUESS_MIN_CONFIDENCE
        ][:MAX_GUESSES]
        if guesses:
            text = _("I am not sure I understood. Did you mean one of these?")
        else:
            text = _(
                "Sorry, I can only help with crime prevention in Belgium. "
                "Choose a subject from the menu:"
            )
        menu = Button(_("Topic menu"), r.CB_MENU)
        return Reply(esc(text), (*rows(guesses), (menu,)))
