"""In Chromium: questions the bot could not answer in the local chat appear in the inbox,
masked and grouped; an editor adds one as a phrasing of its best guess; the workspace retrains
and shows the new answer; the bot, another engine on the same files, retrains by itself and
answers the question with the chosen topic (it answered meanwhile with its old model)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from bot.app import assemble
from bot.base.settings import Settings
from bot.channels.console import ConsoleChat
from bot.staff import accounts
from bot.web.services import WebServices
from nlu import EmbeddedNLU, RetrainingNLU
from tests.helpers.browser import LiveServer, screenshot
from tests.helpers.inbox import (
    ENGRAVE_SCOOTER,
    NEIGHBOUR_MASKED,
    NEIGHBOUR_PHONE,
    WEATHER,
    learning_settings,
    retrained,
    retraining_nlu,
)
from tests.helpers.live_workspace import LiveWorkspace
from tests.helpers.project import NOW

# The first words of bike.register's answer (fr, en): a topic answer, not a menu of guesses.
BIKE_ANSWERS = ("Les vols de vélos sont fréquents", "Bike theft is common")


class Bot:
    """The bot's side: its own engine and the local chat, made on the server's loop."""

    def __init__(self, nlu: RetrainingNLU) -> None:
        self.nlu = nlu
        self.out = io.StringIO()
        self.chat: ConsoleChat | None = None

    async def seed(self, services: WebServices) -> str:
        """Ask the questions in the local chat; return an editor's sign-in path."""
        bot = assemble(
            services.settings, services.content, self.nlu, services.storage, services.now
        )
        self.chat = ConsoleChat(bot, self.out)
        for text in (NEIGHBOUR_PHONE, ENGRAVE_SCOOTER, *WEATHER, ENGRAVE_SCOOTER):
            await self.chat.send(text)
        public_url = services.settings.web.public_url
        _member, url = await accounts.invite(
            services.storage.staff, "Ada Peeters", "editor", "en", public_url, NOW
        )
        return url.removeprefix(public_url)

    async def answer(self, text: str) -> str:
        """What the local chat prints for one message."""
        assert self.chat is not None
        self.out.truncate(0)
        self.out.seek(0)
        await self.chat.send(text)
        return self.out.getvalue()


async def test_an_editor_teaches_the_bot_from_the_inbox(
    page: Page,
    live_server: LiveServer,
    settings: Settings,
    storage_template: Path,
    trained_nlu: EmbeddedNLU,
    tmp_path: Path,
) -> None:
    learning = learning_settings(settings, tmp_path)
    web_nlu = retraining_nlu(trained_nlu, learning, tmp_path / "cache")
    bot = Bot(retraining_nlu(trained_nlu, learning, tmp_path / "cache"))
    workspace = LiveWorkspace(learning, storage_template, prepare=bot.seed, nlu=web_nlu)
    base = live_server(workspace)

    await page.goto(f"{base}{workspace.prepared}?next=/inbox")
    await page.locator("main button[type=submit]").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    main = page.locator("main")
    await expect(main).to_contain_text(NEIGHBOUR_MASKED)
    await expect(main).not_to_contain_text("0470")
    weather = page.locator("article", has_text="Namur")
    await expect(weather).to_have_count(1)
    await expect(weather).to_contain_text(WEATHER[1])
    scooter = page.locator("article", has_text=ENGRAVE_SCOOTER)
    await expect(scooter).to_contain_text("Times asked: 2")
    await expect(scooter.get_by_label("Topic", exact=True)).to_have_value("bike.register")
    await screenshot(page, "inbox")

    await scooter.get_by_role("button", name="Add as phrasings of this topic").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Teaching the bot")
    await expect(main).to_contain_text("added to the training data")
    await expect(page.locator("#inbox-answers")).to_contain_text("learning")

    # The bot still answers while the files changed and it retrains (its old model).
    meanwhile = await workspace.run(lambda _services: bot.answer(ENGRAVE_SCOOTER))
    assert not any(answer in meanwhile for answer in BIKE_ANSWERS)

    await workspace.run(lambda services: _await_retrain(services, bot.nlu))
    answer = page.locator("#inbox-answers td.answer")
    await expect(answer).to_have_attribute("data-intent", "bike.register")  # htmx polled
    await expect(answer).to_contain_text("Register your bike")
    await screenshot(page, "inbox-learned")

    after = await workspace.run(lambda _services: bot.answer(ENGRAVE_SCOOTER))
    assert any(answer in after for answer in BIKE_ANSWERS), after
    await page.get_by_role("link", name="Back to the inbox").click()
    await expect(page.locator("main")).not_to_contain_text(ENGRAVE_SCOOTER)


async def _await_retrain(services: WebServices, bot_nlu: RetrainingNLU) -> Any:
    # The workspace's retrain, started by the form; then the bot's, started by its chat.
    assert services.nlu is not None
    assert await retrained(services.nlu)
    assert await retrained(bot_nlu)
