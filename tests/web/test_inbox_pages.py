"""The inbox over HTTP: questions the dialogue could not answer, masked and grouped by meaning;
a phrasing that teaches the workspace's engine and the bot's (after a real retrain on a copy of
the training data); refusals; ignoring; a new topic's draft; hostile forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from starlette.applications import Starlette

from bot.app import assemble
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.dialogue.services import Services
from bot.storage import Storage
from nlu import LEARNED_FILE, EmbeddedNLU, RetrainingNLU, read_directory, training_stamps
from tests.helpers.content import real_content
from tests.helpers.inbox import (
    ENGRAVE_SCOOTER,
    NEIGHBOUR_MASKED,
    NEIGHBOUR_PHONE,
    WEATHER,
    ask,
    inbox_app,
    learning_settings,
    retrained,
    retraining_nlu,
)
from tests.helpers.project import project_path
from tests.helpers.web import browser, sign_in_as


@pytest.fixture
def learning(settings: Settings, tmp_path: Path) -> Settings:
    """The test's settings with a writable copy of the training data."""
    return learning_settings(settings, tmp_path)


@pytest.fixture
def web_nlu(trained_nlu: EmbeddedNLU, learning: Settings, tmp_path: Path) -> RetrainingNLU:
    """The workspace's own engine, retraining from the copy."""
    return retraining_nlu(trained_nlu, learning, tmp_path / "nlu-cache")


@pytest.fixture
def inbox_web(
    learning: Settings,
    storage: Storage,
    clock: Callable[[], datetime],
    web_nlu: RetrainingNLU,
) -> Starlette:
    """The workspace with the inbox's engine."""
    return inbox_app(learning, storage, clock, web_nlu)


def bot_services(settings: Settings, storage: Storage, nlu: object, clock: object) -> Services:
    """The bot's services (dialogue) on the same database, as another process would have."""
    content = ContentStore(settings.content_dir, real_content())
    return assemble(settings, content, nlu, storage, clock)  # type: ignore[arg-type]


async def test_unanswered_questions_show_masked_and_grouped_by_meaning(
    inbox_web: Starlette, services: Services
) -> None:
    for text in (NEIGHBOUR_PHONE, *WEATHER, WEATHER[0]):
        await ask(services, text)
    async with browser(inbox_web) as client:
        await sign_in_as(client, inbox_web, "editor")
        page = (await client.get("/inbox")).text

    assert "0470" not in page
    assert NEIGHBOUR_MASKED.replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;") in page
    articles = page.split("<article")[1:]
    weather = [a for a in articles if "Namur" in a]
    assert len(weather) == 1  # French and English in one group
    assert WEATHER[1] in weather[0]
    assert "Times asked: 3" in weather[0]
    assert 'class="lang-tag">fr<' in weather[0]
    assert 'class="lang-tag">en<' in weather[0]


async def test_a_phrasing_teaches_the_workspace_and_the_bot(
    inbox_web: Starlette,
    learning: Settings,
    storage: Storage,
    web_nlu: RetrainingNLU,
    trained_nlu: EmbeddedNLU,
    clock: Callable[[], datetime],
    tmp_path: Path,
) -> None:
    repository = training_stamps(project_path("nlu", "data"))
    bot_nlu = retraining_nlu(trained_nlu, learning, tmp_path / "nlu-cache")
    bot = bot_services(learning, storage, bot_nlu, clock)
    before = await ask(bot, ENGRAVE_SCOOTER)
    assert "Register your bike" not in before[0].text
    (question,) = await storage.inbox.recent()

    async with browser(inbox_web) as client:
        csrf = await sign_in_as(client, inbox_web, "editor")
        page = (await client.get("/inbox")).text
        assert '<option value="bike.register" selected>' in page  # the best guess
        answer = await client.post(
            "/inbox/learn",
            data={"csrf": csrf, "question": str(question.id), "intent": "bike.register"},
        )
        assert answer.status_code == 200
        assert "added to the training data" in answer.text
        assert web_nlu.training
        waiting = await client.get(f"/inbox/answers?ids={question.id}")
        assert "learning" in waiting.text
        assert 'hx-trigger="every 2s"' in waiting.text

        assert await retrained(web_nlu)
        now = await client.get(f"/inbox/answers?ids={question.id}")
        assert 'data-intent="bike.register"' in now.text
        assert "Register your bike" in now.text
        assert ENGRAVE_SCOOTER.replace("'", "&#39;") not in (await client.get("/inbox")).text

    learned = learning.nlu_data_dir / "fr" / LEARNED_FILE
    examples = read_directory(learning.nlu_data_dir).examples
    assert [(e.intent, e.text) for e in examples if e.source == str(learned)] == [
        ("bike.register", ENGRAVE_SCOOTER)
    ]
    assert training_stamps(project_path("nlu", "data")) == repository  # only the copy changed

    # The bot, another process: it notices the changed files and retrains by itself (the
    # workspace's model is in the shared cache: it loads it), answering meanwhile.
    assert await retrained(bot_nlu)
    after = await ask(bot, ENGRAVE_SCOOTER, chat_id=8)
    assert "Register your bike" in after[0].text or "Enregistrer son vélo" in after[0].text
    entries = await storage.audit.recent()
    assert next((e.action, e.subject) for e in entries) == ("inbox.phrasing", "bike.register")


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        # A sentence of the held-out split, and one of the blind set: never trained on.
        ("quelles sont les villes où on cambriole le plus", "fr", "evaluation set"),
        ("c'est quoi un PLP ?", "fr", "Already a phrasing"),
        ("x" * 500, "fr", "Too long for a phrasing"),
        ("??? !!!", "fr", "Nothing left to learn"),
    ],
)
async def test_refused_phrasings_say_why_and_change_nothing(
    inbox_web: Starlette,
    storage: Storage,
    learning: Settings,
    text: str,
    language: str,
    message: str,
) -> None:
    services = inbox_web.state.services
    await storage.gaps.record_unanswered(text, language, [], services.now())
    (question,) = await storage.inbox.recent()
    async with browser(inbox_web) as client:
        csrf = await sign_in_as(client, inbox_web, "editor")
        answer = await client.post(
            "/inbox/learn", data={"csrf": csrf, "question": str(question.id), "intent": "plp.join"}
        )
    assert answer.status_code == 400
    assert message in answer.text
    assert not (learning.nlu_data_dir / language / LEARNED_FILE).exists()
    assert services.nlu is not None
    assert not services.nlu.training


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"question": "1", "intent": "../../etc/passwd"}, "Choose a topic from the list"),
        ({"question": "1", "intent": "plp.join" * 1000}, "Choose a topic from the list"),
        ({"question": "abc", "intent": "plp.join"}, "not in the inbox"),
        ({"question": "999999", "intent": "plp.join"}, "not in the inbox"),
        ({"question": "1" * 40, "intent": "plp.join"}, "not in the inbox"),
        ({"intent": "plp.join"}, "Choose at least one question"),
    ],
)
async def test_forged_forms_get_a_clear_error(
    inbox_web: Starlette, storage: Storage, fields: dict[str, str], message: str
) -> None:
    services = inbox_web.state.services
    await storage.gaps.record_unanswered("où faire graver", "fr", [], services.now())
    async with browser(inbox_web) as client:
        csrf = await sign_in_as(client, inbox_web, "editor")
        answer = await client.post("/inbox/learn", data={"csrf": csrf, **fields})
        ignored = await client.post("/inbox/ignore", data={"csrf": csrf, **fields})
    assert answer.status_code == 400
    assert message in answer.text
    assert ignored.status_code in (303, 400)
    assert len(await storage.inbox.handled_keys()) == (1 if ignored.status_code == 303 else 0)


async def test_ignored_questions_stay_hidden_when_asked_again(
    inbox_web: Starlette, storage: Storage, services: Services
) -> None:
    await ask(services, WEATHER[0])
    (question,) = await storage.inbox.recent()
    async with browser(inbox_web) as client:
        csrf = await sign_in_as(client, inbox_web, "reviewer")
        answer = await client.post("/inbox/ignore", data={"csrf": csrf, "question": question.id})
        assert (answer.status_code, answer.headers["location"]) == (303, "/inbox?done=ignored")
        await ask(services, "Quel temps fera-t-il demain à Namur?")  # the same, written again
        page = (await client.get("/inbox?done=ignored")).text
    assert "Namur" not in page
    assert "no longer show" in page
    entry = (await storage.audit.recent())[0]
    assert (entry.action, entry.staff_name, entry.detail) == (
        "inbox.ignored",
        "Reviewer",
        "1 question(s), fr",
    )


async def test_needs_a_new_topic_opens_a_draft_with_the_questions(
    inbox_web: Starlette, storage: Storage, services: Services
) -> None:
    await ask(services, ENGRAVE_SCOOTER)
    (question,) = await storage.inbox.recent()
    async with browser(inbox_web) as client:
        csrf = await sign_in_as(client, inbox_web, "editor")
        fields = {"csrf": csrf, "question": str(question.id), "group": "burglary"}
        taken = await client.post("/inbox/new-topic", data={**fields, "id": "bike.register"})
        bad = await client.post("/inbox/new-topic", data={**fields, "id": "../x"})
        answer = await client.post("/inbox/new-topic", data={**fields, "id": "bike.scooters"})
        editor = await client.get("/topics/bike.scooters")
    assert taken.status_code == 400
    assert "already a topic" in taken.text
    assert bad.status_code == 400
    assert "lowercase letters" in bad.text
    assert (answer.status_code, answer.headers["location"]) == (303, "/topics/bike.scooters")
    assert editor.status_code == 200
    assert ENGRAVE_SCOOTER.replace("'", "&#39;") in editor.text  # the French citizen terms
    (draft,) = await storage.topic_drafts.find(("draft",), "bike.scooters")
    assert ENGRAVE_SCOOTER in draft.content
    assert await storage.inbox.handled_keys()
    actions = [entry.action for entry in await storage.audit.recent()]
    assert actions[:3] == ["inbox.new_topic", "topic.save", "topic.new"]
