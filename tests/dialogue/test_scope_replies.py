"""Replies to what is not ours to answer (issue 14), through the real dialogue and NLU.

Each kind in four languages: noise, abuse, "are you a bot?", another country, near-scope
referrals (sourced), long stories. The sentences were written for this test: none is in
nlu/data or an evaluation set.
"""

from __future__ import annotations

import re

import pytest

from bot.catalog.topics import Catalog
from bot.dialogue.replies import CB_GROUP, CB_MENU, CB_TOPIC
from bot.dialogue.router import Dialogue
from tests.helpers.dialogue import callbacks, say, texts

LANGUAGES = ("fr", "nl", "de", "en")

NOISE = {"fr": "😅😅", "nl": "sdfsdfsdf", "de": "???!!", "en": "qwerty"}
NOISE_REPLY = {
    "fr": "je n'ai pas compris",
    "nl": "niet begrepen",
    "de": "nicht verstanden",
    "en": "did not understand",
}
ABUSE = {
    "fr": "t'es complètement débile",
    "nl": "wat een stomme waardeloze bot",
    "de": "du nutzloser dummer Roboter",
    "en": "you are a stupid useless bot",
}
ABUSE_REPLY = {
    "fr": "assistant automatique",
    "nl": "geautomatiseerde assistent",
    "de": "automatischer Assistent",
    "en": "automated assistant",
}
BOT_IDENTITY = {
    "fr": "est-ce que je parle à une vraie personne ?",
    "nl": "praat ik met een mens?",
    "de": "bist du ein Mensch oder eine Maschine?",
    "en": "am I talking to a bot?",
}
POLICE_ZONE = {
    "fr": "zone de police",
    "nl": "politiezone",
    "de": "Polizeizone",
    "en": "police zone",
}
OTHER_COUNTRY = {
    "fr": "faut-il un pictogramme pour une caméra de surveillance en France",
    "nl": "moet ik mijn alarm aangeven in Nederland",
    "de": "brauche ich in Deutschland ein Schild für meine Überwachungskamera",
    "en": "do I need to register my CCTV camera in the UK",
}
BELGIUM_ONLY = {
    "fr": "que pour la Belgique",
    "nl": "alleen advies geven over België",
    "de": "nur zu Belgien",
    "en": "only advise about Belgium",
}
REFERRALS = {
    "referral.online_scam": {
        "fr": "j'ai reçu un SMS bizarre qui me demande de payer des frais de douane via un lien",
        "nl": "ik kreeg een vreemde sms die vraagt om douanekosten te betalen via een link",
        "de": "ich habe eine komische SMS bekommen, die Zollgebühren über einen Link verlangt",
        "en": "I got a weird text asking me to pay customs fees through a link",
    },
    "referral.identity_theft": {
        "fr": "quelqu'un a pris un abonnement internet à mon nom",
        "nl": "iemand heeft een internetabonnement op mijn naam genomen",
        "de": "jemand hat auf meinen Namen einen Internetvertrag abgeschlossen",
        "en": "someone signed up for an internet contract in my name",
    },
    "referral.noisy_neighbours": {
        "fr": "mon voisin écoute sa musique à fond tous les soirs",
        "nl": "mijn buurman zet elke avond zijn muziek keihard",
        "de": "mein Nachbar hört jeden Abend laut Musik",
        "en": "my neighbour blasts music every evening",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_noise_gets_i_did_not_understand_and_the_menu(
    dialogue: Dialogue, language: str
) -> None:
    await say(dialogue, f"/language {language}")
    replies = await say(dialogue, NOISE[language])
    assert NOISE_REPLY[language] in replies[0].text
    assert any(data.startswith(CB_GROUP) for data in callbacks(replies))
    assert await dialogue.storage.gaps.top_unanswered() == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_abuse_gets_a_calm_answer_and_is_not_a_gap(
    dialogue: Dialogue, language: str
) -> None:
    await say(dialogue, f"/language {language}")
    replies = await say(dialogue, ABUSE[language], code=language)
    assert ABUSE_REPLY[language] in texts(replies)
    assert CB_MENU in callbacks(replies)
    assert "https://" not in texts(replies)
    assert await dialogue.storage.gaps.top_unanswered() == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_are_you_a_person_gets_an_honest_answer_and_how_to_reach_one(
    dialogue: Dialogue, language: str
) -> None:
    await say(dialogue, f"/language {language}")
    replies = await say(dialogue, BOT_IDENTITY[language], code=language)
    text = texts(replies)
    assert ABUSE_REPLY[language] in text
    assert POLICE_ZONE[language] in text
    # 101 before 112, as in the emergency reply
    numbers = re.findall(r"\b1(?:01|12)\b", text)
    assert numbers[:2] == ["101", "112"], text
    assert f"{CB_TOPIC}emergency.numbers" in callbacks(replies)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_another_country_gets_belgium_only(dialogue: Dialogue, language: str) -> None:
    await say(dialogue, f"/language {language}")
    replies = await say(dialogue, OTHER_COUNTRY[language], code=language)
    text = texts(replies)
    assert BELGIUM_ONLY[language] in text
    # no Belgian topic answered as if it applied there (topic answers carry votes)
    assert not any(data.startswith("vote:") for data in callbacks(replies))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("referral_id", list(REFERRALS))
async def test_near_scope_questions_get_a_sourced_referral(
    dialogue: Dialogue, catalog: Catalog, language: str, referral_id: str
) -> None:
    await say(dialogue, f"/language {language}")
    replies = await say(dialogue, REFERRALS[referral_id][language], code=language)
    text = catalog.referrals[referral_id].text(language)
    assert text.title in replies[0].text
    for url in text.sources:
        assert url in replies[0].text
    assert await dialogue.storage.gaps.top_unanswered() == []


async def test_the_phishing_referral_names_safeonwebs_forwarding_address(
    dialogue: Dialogue,
) -> None:
    replies = await say(dialogue, REFERRALS["referral.online_scam"]["en"], code="en")
    assert "suspicious@safeonweb.be" in replies[0].text


async def test_a_genuine_unknown_is_still_recorded_as_a_gap(dialogue: Dialogue) -> None:
    await say(dialogue, "/language en")
    await say(dialogue, "what is the best recipe for pancakes with buckwheat flour")
    gaps = await dialogue.storage.gaps.top_unanswered()
    assert [gap.text for gap in gaps] == [
        "what is the best recipe for pancakes with buckwheat flour"
    ]


async def test_a_long_story_is_answered_by_its_question_not_a_word_of_it(
    dialogue: Dialogue,
) -> None:
    story = (
        "Last month my aunt came to stay with us. She lived in a flat that was burgled twice, "
        "so she is nervous and checks the locks every evening, and she asks about alarms all "
        "the time. Otherwise she loves cooking and the kids adore her. Which slow cooker is "
        "the best for a family of five?"
    )
    replies = await say(dialogue, story, code="en")
    # neither a topic (its answers carry votes) nor the emergency reply
    assert not any(data.startswith("vote:") for data in callbacks(replies))
    assert "🚨" not in texts(replies)
