"""The safety rules of issue #10, in every language.

1. A crime happening now gets the emergency reply: 101 (police) first, 112 named after it.
   police.be and 112.be: a 112 call for the police is transferred to 101 and loses time.
2. The topics a person may read in that situation say 101 and "do not go in / do not confront".
3. Situations still in progress are emergencies however they are told (relatives on the phone,
   fake officials still inside, coming home to a forced door, an alarm now, a handle tried now,
   typos, mixed languages); general questions about burglars are not.

The sentences below were written for this test: none is in nlu/data or the held-out sets.
"""

from __future__ import annotations

import re

import pytest

from bot.base.turns import Incoming, Reply
from bot.catalog.topics import Catalog
from bot.dialogue.router import Dialogue
from bot.dialogue.texts import emergency_reply

LANGUAGES = ("fr", "nl", "de", "en")

# Part 2: the topics and, per language, "do not go in / do not confront" (case-insensitive).
SAFETY_TOPICS = (
    "theft.distraction",
    "burglary.after_burglary",
    "alarm.rules_use",
    "burglary.neighbours",
    "emergency.numbers",
)
DO_NOT_GO_IN = {
    "fr": r"n'entrez (pas|jamais)|ne (pas|jamais) entrer|n'affrontez|ne confrontez"
    r"|sans (jamais )?entrer",
    "nl": r"ga (niet|nooit) (naar )?binnen|niet (naar )?binnen (gaan|te gaan)|confronteer"
    r"|confrontatie",
    "de": r"gehen sie (nicht|nie|niemals) hinein|nicht (hinein|betreten)|keine konfrontation"
    r"|konfrontieren sie",
    "en": r"do not go in|don't go in|never go in|do not enter|never enter|do not confront"
    r"|never confront",
}

# Part 3: crimes in progress, told as people tell them (listed under their main language).
IN_PROGRESS = {
    "en": [
        "my mother just called, two men from the water company are in her kitchen right now",
        "I just came home, the door is forced and I hear noise upstairs",
        "my alarm is going off and I hear something in the garage",
        "someone is trying the handle of my back door as we speak",
        "my dad is on the phone with me, a man who says he's police is searching his bedroom",
        "two guys who say they're from the electricity company are still inside my grandma's flat",
        "got home and the front door is open, i think they're still inside",
        "somone keeps pulling at my window handle, its 3am",
        "the alarm just went off and the back door is wide open",
        "I'm on the phone with my gran, there's a man from the water board in her bathroom",
        "my alarm went off a minute ago and there are noises downstairs",
        "someone is rattling the door handle",
        "au secours, my mother says two men from the water company are chez elle now",
    ],
    "fr": [
        "ma mère vient d'appeler, deux hommes de la compagnie des eaux sont dans sa cuisine "
        "en ce moment",
        "je rentre à la maison, la porte est forcée et j'entends du bruit à l'étage",
        "l'alarme sonne et j'entends des bruits dans le garage",
        "quelqu'un essaie d'ouvrir la poignée de ma porte là",
        "mon père est au téléphone avec moi, un faux policier fouille sa chambre",
        "deux types qui se disent de Sibelga sont toujours chez ma grand-mère",
        "je viens de rentrer, la porte est ouverte, je crois qu'ils sont encore dedans",
        "qqn tripote la poignée de la fenetre, il est 3h du mat",
        "l'alarme des voisins hurle et je vois une lampe qui bouge dans leur salon",
        "ma tante m'appelle, un faux agent de l'eau fouille ses tiroirs",
        "je suis au tel avec ma mere, des faux plombiers sont chez elle et demandent ou est "
        "l'argent",
        "mon alarme vient de se déclencher et il y a du bruit en bas",
        "ma mère m'appelle, the fake police guys sont encore chez elle",
    ],
    "nl": [
        "mijn moeder belde net, twee mannen van de waterleiding staan nu in haar keuken",
        "ik kom net thuis, de deur is geforceerd en ik hoor lawaai boven",
        "mijn alarm gaat af en ik hoor iets in de garage",
        "iemand probeert nu de klink van mijn achterdeur",
        "mijn vader is aan de lijn, een man die zegt dat hij van de politie is doorzoekt zijn "
        "slaapkamer",
        "twee mannen die zeggen dat ze van Fluvius zijn, zijn nog altijd bij mijn oma binnen",
        "net thuisgekomen, voordeur staat open, ik denk dat ze nog binnen zijn",
        "iemand zit aan de klink van mn raam te draaien, t is 3u snachts",
        "het alarm van de buren loeit en ik zie een zaklamp in hun living",
        "mijn tante belt me, een valse controleur van de waterleiding doorzoekt haar kasten",
        "mijn alarm is net afgegaan en ik hoor gestommel beneden",
        "er draait iemand aan mijn deurklink",
        "help, mijn moeder zegt dat twee men from the gas company nu bij haar binnen zijn",
    ],
    "de": [
        "meine Mutter hat gerade angerufen, zwei Männer von den Wasserwerken sind jetzt in "
        "ihrer Küche",
        "ich komme gerade nach Hause, die Tür ist aufgebrochen und ich höre Geräusche oben",
        "meine Alarmanlage geht los und ich höre etwas in der Garage",
        "jemand drückt gerade die Klinke meiner Hintertür runter",
        "mein Vater ist am Telefon, ein falscher Polizist durchsucht sein Schlafzimmer",
        "zwei Männer, die angeblich vom Stromversorger sind, sind immer noch bei meiner Oma drin",
        "bin grad heimgekommen, Haustür offen, ich glaube die sind noch drin",
        "jemand rüttlt am fenster, es ist 3 uhr nachts",
        "die Alarmanlage der Nachbarn heult und ich sehe eine Taschenlampe in ihrem Wohnzimmer",
        "meine Tante ruft an, ein falscher Wasserableser durchwühlt gerade ihre Schubladen",
        "meine Alarmanlage ist gerade losgegangen und unten poltert es",
        "jemand rüttelt an meiner Haustür",
        "Hilfe, meine Mutter sagt zwei men from the gas company sind jetzt bei ihr",
    ],
}
GENERAL = {
    "en": [
        "do burglars come at night?",
        "what should I do after a burglary?",
        "my neighbour was burgled last week",
        "how do I recognise a fake water company employee?",
        "what do I do if my alarm goes off while I'm away?",
        "should I call 101 or 112 for a burglary?",
        "can fake police officers ask for my bank card?",
        "my alarm goes off for no reason, what should I check",
    ],
    "fr": [
        "les cambrioleurs viennent-ils la nuit ?",
        "que faire après un cambriolage ?",
        "mon voisin a été cambriolé la semaine passée",
        "comment reconnaître un faux agent de la compagnie des eaux ?",
        "que faire quand mon alarme se déclenche pendant mes vacances ?",
        "faut-il appeler le 101 ou le 112 pour un cambriolage ?",
        "comment fonctionnent les faux agents des eaux ?",
    ],
    "nl": [
        "komen inbrekers 's nachts?",
        "wat moet ik doen na een inbraak?",
        "bij mijn buurman werd vorige week ingebroken",
        "hoe herken ik een valse medewerker van de waterleiding?",
        "wat als mijn alarm afgaat terwijl ik op vakantie ben?",
        "moet ik 101 of 112 bellen bij een inbraak?",
        "hoe werken valse agenten van de waterleiding?",
    ],
    "de": [
        "kommen Einbrecher nachts?",
        "was soll ich nach einem Einbruch tun?",
        "bei meinem Nachbarn wurde letzte Woche eingebrochen",
        "wie erkenne ich einen falschen Mitarbeiter der Wasserwerke?",
        "was tun, wenn meine Alarmanlage im Urlaub losgeht?",
        "soll ich bei einem Einbruch 101 oder 112 anrufen?",
        "wie arbeiten falsche Polizisten?",
    ],
}


# Issue 14: more narrated emergencies (things carried out, told by message, typos, mixed
# languages, a long message that tells it at the end) and more general questions.
NARRATED = {
    "en": [
        "my sister is on the phone crying, someone smashed her kitchen window and is climbing in",
        "my neighbour texted me that two men are carrying her tv out of her house right now",
        "grandpa just rang, a fake electrician is in his living room and won't go",
        "somone is forcng my frnt door rite now",
        "my mum says there is ein Mann in her house right now",
        "Sorry for the long message, I am not used to this. My father is 86, he lives alone "
        "since my mother died and he does not hear very well, so we call him every evening. "
        "Tonight he answered whispering: he is on the phone with me now and a man who says he "
        "is from the water company is going through his drawers",
    ],
    "fr": [
        "ma soeur m'appelle en pleurs, quelqu'un a cassé sa fenêtre et entre chez elle",
        "ma voisine me dit au téléphone que deux hommes sortent la télé de chez elle maintenant",
        "mon grand-père vient d'appeler, un faux électricien est dans son salon et refuse de "
        "partir",
        "ma mère au phone, il y a un mec qui fouille sa chambre right now",
    ],
    "nl": [
        "mijn zus belt huilend, iemand heeft haar keukenraam ingeslagen en klimt naar binnen",
        "mijn buurvrouw stuurt dat er nu twee mannen haar tv naar buiten dragen",
        "opa belde net, een valse elektricien zit in zijn woonkamer en wil niet weg",
        "iemand forceert nu mijn voordeur",
    ],
    "de": [
        "meine Schwester ruft weinend an, jemand hat ihr Küchenfenster eingeschlagen und "
        "klettert rein",
        "meine Nachbarin schreibt, dass gerade zwei Männer ihren Fernseher raustragen",
        "Opa hat gerade angerufen, ein falscher Elektriker ist in seinem Wohnzimmer und will "
        "nicht gehen",
    ],
}
CALM_QUESTIONS = {
    "en": ["what do thieves look for first in a bedroom?", "is a burglar scared of a dog?"],
    "fr": ["que volent les voleurs en premier ?", "un cambrioleur revient-il après un vol ?"],
    "nl": ["hoe kiezen inbrekers een woning uit?", "wat stelen dieven het liefst?"],
    "de": ["wie kommen Einbrecher meistens ins Haus?", "was stehlen Diebe am liebsten?"],
}


def first_number(text: str) -> str | None:
    """The first three-digit number of a text (101, 112, 100...)."""
    found = re.search(r"\b\d{3}\b", text)
    return found.group() if found else None


@pytest.fixture(scope="module")
def topics(catalog: Catalog) -> Catalog:
    """The curated answers, through the bot's own content loader."""
    return catalog


def emergency_texts(dialogue: Dialogue) -> set[str]:
    """The emergency reply in every language: the in-progress stories must get one of them."""
    return {emergency_reply(dialogue.translator.gettext(language)).text for language in LANGUAGES}


async def answer(dialogue: Dialogue, chat_id: int, text: str, language: str) -> tuple[Reply, ...]:
    """One message from a new user whose Telegram speaks `language`, as test_dialogue does."""
    return await dialogue.process(chat_id, Incoming(text=text, language_code=language))


# 1. The emergency reply ---


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_emergency_reply_leads_with_101_and_names_112(
    dialogue: Dialogue, language: str
) -> None:
    text = emergency_reply(dialogue.translator.gettext(language)).text
    assert first_number(text) == "101", text
    assert "112" in text, text


def test_the_emergency_reply_is_translated(dialogue: Dialogue) -> None:
    assert len(emergency_texts(dialogue)) == len(LANGUAGES)


# 2. The topics read in that situation ---


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic_id", SAFETY_TOPICS)
def test_safety_topics_say_101_and_do_not_go_in(
    topics: Catalog, topic_id: str, language: str
) -> None:
    text = topics.topics[topic_id].text(language)
    body = f"{text.answer}\n{text.more}".replace("’", "'")
    missing = [] if "101" in body else ["101"]
    if not re.search(DO_NOT_GO_IN[language], body, re.IGNORECASE):
        missing.append(f"do not go in / do not confront ({DO_NOT_GO_IN[language]})")
    assert missing == [], f"content/topics/{topic_id}.yml, {language}: answer+more lacks it"


# 3. Stories of a crime in progress, and general questions ---


def test_every_language_has_enough_stories_and_questions() -> None:
    for language in LANGUAGES:
        assert len(IN_PROGRESS[language]) >= 10, language
        assert len(GENERAL[language]) >= 6, language


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_crime_in_progress_told_as_a_story_gets_the_emergency_reply(
    dialogue: Dialogue, language: str
) -> None:
    urgent = emergency_texts(dialogue)
    missed = []
    stories = IN_PROGRESS[language] + NARRATED[language]
    for chat_id, story in enumerate(stories, start=1000):
        replies = await answer(dialogue, chat_id, story, language)
        if replies[0].text not in urgent:
            missed.append(story)
    assert missed == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_general_question_about_burglars_raises_no_alarm(
    dialogue: Dialogue, language: str
) -> None:
    urgent = emergency_texts(dialogue)
    alarmed = []
    questions = GENERAL[language] + CALM_QUESTIONS[language]
    for chat_id, question in enumerate(questions, start=2000):
        replies = await answer(dialogue, chat_id, question, language)
        if any(reply.text in urgent for reply in replies):
            alarmed.append(question)
    assert alarmed == []
