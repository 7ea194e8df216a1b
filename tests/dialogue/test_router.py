"""The dialogue core, driven directly (no Telegram), on the real content and NLU."""

from __future__ import annotations

import re

from bot.app import assemble
from bot.dialogue.replies import CB_TOPIC
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from nlu import EMERGENCY_INTENT, IntentScore, Parse
from tests.helpers.dialogue import callbacks, press, say, texts


async def test_french_plp_question_gets_a_french_sourced_answer(dialogue: Dialogue) -> None:
    replies = await say(dialogue, "comment rejoindre un PLP ?")
    assert "PLP" in replies[0].text
    assert "https://" in replies[0].text
    assert any(data.startswith("vote:plp.join") for data in callbacks(replies))
    user = await dialogue.storage.users.get(10)
    assert user is not None
    assert user.language == "fr"


async def test_dutch_door_question_gets_a_dutch_answer(dialogue: Dialogue) -> None:
    replies = await say(dialogue, "hoe beveilig ik mijn voordeur")
    assert "cilinder" in replies[0].text.lower()
    user = await dialogue.storage.users.get(10)
    assert user is not None
    assert user.language == "nl"


def first_number(text: str) -> str | None:
    found = re.search(r"\b\d{3}\b", text)
    return found.group() if found else None


async def test_emergency_gets_101_first_before_anything_else(dialogue: Dialogue) -> None:
    await say(dialogue, "/language en")
    for message in [
        "someone is breaking into my house right now",
        "au secours un cambrioleur !!",
        "er breekt iemand in bij mij",
        "Hilfe, ein Einbrecher ist im Haus",
    ]:
        replies = await say(dialogue, message)
        assert first_number(replies[0].text) == "101", message
        assert "112" in replies[0].text, message
        assert f"{CB_TOPIC}emergency.numbers" in callbacks(replies[:1]), message


async def test_help_and_about_lead_with_101(dialogue: Dialogue) -> None:
    for language in ("fr", "nl", "de", "en"):
        await say(dialogue, f"/language {language}")
        for command in ("/help", "/about"):
            [reply] = await say(dialogue, command)
            assert first_number(reply.text) == "101", (language, command)
            assert "112" in reply.text, (language, command)


async def test_unsure_question_shows_menu_and_is_recorded_without_identity(
    dialogue: Dialogue, services: Services
) -> None:
    replies = await say(dialogue, "what is the weather tomorrow in Ostend, call me 0470 12 34 56")
    assert "menu" in callbacks(replies)
    gaps = await services.storage.gaps.top_unanswered()
    assert len(gaps) == 1
    assert "0470" not in gaps[0].text
    assert "<phone>" in gaps[0].text


async def test_greeting_shows_the_topic_menu(dialogue: Dialogue) -> None:
    replies = await say(dialogue, "bonjour")
    assert any(data.startswith("group:") for data in callbacks(replies))


async def test_menu_group_topic_and_more_buttons(dialogue: Dialogue) -> None:
    await say(dialogue, "/language de")
    menu = await say(dialogue, "/menu")
    assert "group:plp" in callbacks(menu)
    group = await press(dialogue, "group:plp")
    assert "topic:plp.join" in callbacks(group)
    answer = await press(dialogue, "topic:plp.join")
    assert "NIN" in answer[0].text or "Nachbarschaft" in answer[0].text
    more = [data for data in callbacks(answer) if data.startswith("more:")]
    if more:
        detail = await press(dialogue, more[0])
        assert detail[0].text


async def test_language_command_and_chooser(dialogue: Dialogue) -> None:
    chooser = await say(dialogue, "/language")
    assert {"lang:fr", "lang:nl", "lang:de", "lang:en"} <= set(callbacks(chooser))
    await press(dialogue, "lang:nl")
    user = await dialogue.storage.users.get(10)
    assert user is not None
    assert user.language == "nl"


async def test_telegram_language_code_is_used_for_a_new_user(dialogue: Dialogue) -> None:
    await say(dialogue, "/start", chat_id=11, code="de-BE")
    user = await dialogue.storage.users.get(11)
    assert user is not None
    assert user.language == "de"


async def test_other_language_is_answered_in_it_with_an_offer_to_switch(
    dialogue: Dialogue,
) -> None:
    await say(dialogue, "/language fr")
    replies = await say(dialogue, "how can I join a neighbourhood information network")
    assert "lang:en" in callbacks(replies)
    user = await dialogue.storage.users.get(10)
    assert user is not None
    assert user.language == "fr"


async def test_forged_and_stale_buttons_are_answered_with_the_menu(dialogue: Dialogue) -> None:
    for data in [
        "topic:no.such",
        "vote:plp.join:7",
        "lang:xx",
        "group:nope",
        "x" * 500,
        "",
        "more:../../etc/passwd",
        "forget:maybe",
        "topic:plp.join@zz",
    ]:
        replies = await press(dialogue, data)
        assert replies, data


async def test_vote_is_stored_without_identity(dialogue: Dialogue, services: Services) -> None:
    await press(dialogue, "vote:plp.join:0@fr")
    assert await services.storage.gaps.unhelpful_topics() == [("plp.join", "fr", 1, 0)]


async def test_forget_deletes_after_confirmation(dialogue: Dialogue, services: Services) -> None:
    await say(dialogue, "/language nl")
    confirm = await say(dialogue, "/forget")
    assert "forget:yes" in callbacks(confirm)
    assert await services.storage.users.get(10) is not None
    await press(dialogue, "forget:yes")
    assert await services.storage.users.get(10) is None


async def test_mydata_lists_what_is_stored(dialogue: Dialogue) -> None:
    await say(dialogue, "/language en")
    replies = await say(dialogue, "/mydata")
    assert "10" in replies[0].text


async def test_empty_huge_and_odd_input_never_crash(dialogue: Dialogue) -> None:
    for text in ["", "   ", "a" * 5000, "\u202e\u200b🙂" * 300, "/", "/unknowncommand", "\x00"]:
        replies = await say(dialogue, text)
        assert replies
        assert all(len(reply.text) <= 4096 for reply in replies)


async def test_deep_link_opens_a_topic(dialogue: Dialogue) -> None:
    replies = await say(dialogue, "/start plp-join", code="nl")
    assert "vote:plp.join:1@nl" in callbacks(replies)


async def test_non_admin_cannot_reload_but_admin_can(dialogue: Dialogue) -> None:
    refused = await say(dialogue, "/reload", chat_id=10)
    assert "reload" not in refused[0].text.lower() or "know" in refused[0].text.lower()
    done = await say(dialogue, "/reload", chat_id=42)
    assert "36" in done[0].text


async def test_subscribe_in_free_text_keeps_the_pending_step(dialogue: Dialogue) -> None:
    await say(dialogue, "/language fr")
    await say(dialogue, "je veux recevoir les rappels des campagnes pour ma commune")
    user = await dialogue.storage.users.get(10)
    assert user is not None
    assert user.pending is not None
    replies = await say(dialogue, "Eupen")
    assert "Eupen" in texts(replies)


async def test_an_emergency_during_a_pending_step_still_gets_101(dialogue: Dialogue) -> None:
    await say(dialogue, "/subscribe")
    replies = await say(dialogue, "au secours il y a un cambrioleur chez moi")
    assert first_number(replies[0].text) == "101"


def with_nlu(services: Services, nlu: object) -> Dialogue:
    """The same services and flows over another NLU."""
    parts = (services.settings, services.content, nlu, services.storage, services.now)
    return assemble(*parts, services.translator).dialogue  # type: ignore[arg-type]


class _EverythingUrgent:
    """An NLU that takes every message for a crime in progress (the rules do not)."""

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        return Parse(text, "en", EMERGENCY_INTENT, 0.6, (IntentScore(EMERGENCY_INTENT, 0.6),))


async def test_a_story_only_the_classifier_catches_is_not_taken_for_a_place(
    services: Services,
) -> None:
    dialogue = with_nlu(services, _EverythingUrgent())
    await say(dialogue, "/language en")
    await say(dialogue, "/subscribe")
    story = "something odd is going on at my aunt's place, she is scared"
    replies = await say(dialogue, story)
    assert first_number(replies[0].text) == "101"


async def test_a_place_name_during_a_pending_step_is_not_sent_to_the_nlu(
    services: Services,
) -> None:
    dialogue = with_nlu(services, _EverythingUrgent())
    await say(dialogue, "/language fr")
    await say(dialogue, "/subscribe")
    replies = await say(dialogue, "Eupen")
    assert "Eupen" in texts(replies)
    assert "101" not in texts(replies)


async def test_a_command_ends_a_pending_step(dialogue: Dialogue) -> None:
    await say(dialogue, "/subscribe")
    await say(dialogue, "/menu")
    user = await dialogue.storage.users.get(10)
    assert user is not None
    assert user.pending is None


async def test_a_story_checked_during_a_step_is_parsed_once(services: Services) -> None:
    nlu = _EverythingUrgent()
    calls: list[str] = []
    original = nlu.parse

    async def counting(text: str, language_hint: str | None = None) -> Parse:
        calls.append(text)
        return await original(text, language_hint)

    nlu.parse = counting  # type: ignore[method-assign]
    dialogue = with_nlu(services, nlu)
    await say(dialogue, "/subscribe")
    story = "something odd is going on at my aunt's place, she is scared"
    replies = await say(dialogue, story)
    assert first_number(replies[0].text) == "101"
    assert calls == [story]
