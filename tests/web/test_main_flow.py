"""The main flow in a real browser: invite -> sign in -> edit `plp.join` in French, see a
validation message, fix it, preview, submit -> a reviewer signs in and approves -> the local
chat answers with the new text, without a restart.

The workspace runs on its live server's loop (its storage opened in its lifespan) over a copy of
content/ and a fresh database; the chat is the local console channel over the same copy and
database, with its content loaded before the edit, as a running bot's would be.
`PREVENTBOT_SCREENSHOTS=1` writes the screenshots of the README to docs/screenshots/.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from playwright.async_api import Page, expect

from bot.app import assemble
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.channels.console import ConsoleChat
from bot.staff import accounts
from bot.storage import Storage
from bot.web.services import WebServices
from nlu import EmbeddedNLU
from tests.helpers.browser import LiveServer, screenshot
from tests.helpers.editorial import copy_content
from tests.helpers.live_workspace import LiveWorkspace

QUESTION = "comment rejoindre un PLP ?"
TOO_SHORT = "Contactez votre agent de quartier."
# 72 words, no figure: valid under every rule of `content check`.
NEW_ANSWER = (
    "Pour rejoindre un PLP, contactez d'abord votre agent de quartier ou le service de "
    "prévention de votre commune. Il vous dira si un partenariat existe déjà près de chez vous "
    "et comment y adhérer.\n\n"
    "L'adhésion est gratuite et volontaire. Vous recevez les messages du coordinateur et vous "
    "partagez les faits suspects que vous remarquez dans le quartier. Vous pouvez quitter le "
    "PLP quand vous le souhaitez.\n\n"
    "Pas encore de PLP dans votre rue ? Lancez-en un avec vos voisins."
)
VIEWPORT = {"width": 1280, "height": 800}


async def sign_in(page: Page, base: str, link: str, public_url: str) -> None:
    """Open a sign-in link and press its button, as the staff member would."""
    await page.goto(base + link.removeprefix(public_url))
    await page.get_by_role("button", name="Me connecter maintenant").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenue")


async def test_edit_review_publish_and_the_chat_answers_with_it(
    page: Page,
    live_server: LiveServer,
    settings: Settings,
    storage_template: Path,
    tmp_path: Path,
    trained_nlu: EmbeddedNLU,
) -> None:
    content_dir = copy_content(tmp_path)
    settings = replace(settings, content_dir=content_dir)
    public_url = settings.web.public_url

    def clock() -> datetime:  # sign-in links are checked against the real time
        return datetime.now(settings.timezone)

    async def invite_the_team(services: WebServices) -> tuple[str, str]:
        """`preventbot web invite`, twice (French-speaking), and a few citizens' votes."""
        staff = services.storage.staff
        _, ana = await accounts.invite(staff, "Ana Dupont", "editor", "fr", public_url, clock())
        _, rita = await accounts.invite(
            staff, "Rita Lambert", "reviewer", "fr", public_url, clock()
        )
        for helpful in (False, False, True):
            await services.storage.gaps.record_vote("plp.join", "fr", helpful, clock())
        return ana, rita

    workspace = LiveWorkspace(settings, storage_template, prepare=invite_the_team, now=clock)
    base = live_server(workspace)
    ana, rita = workspace.prepared
    storage = await Storage.open(settings.db_path)  # the bot's own connection, beside it
    try:
        bot = assemble(settings, ContentStore.load(content_dir), trained_nlu, storage, clock)
        chat = ConsoleChat(bot, io.StringIO())
        before = await chat.send(QUESTION)
        assert "Tout adulte qui habite" in before[0].text
        await page.set_viewport_size(VIEWPORT)

        # The editor signs in, finds the topic, starts a draft.
        await sign_in(page, base, ana, public_url)
        await page.goto(f"{base}/topics")
        await page.locator("#topic-search").fill("rejoindre")
        await expect(page.locator("#topic-rows tr")).to_have_count(1)
        await page.locator("#topic-search").fill("")
        await page.locator("#topic-group").select_option("plp")  # the neighbourhood group
        await expect(page.locator("#topic-rows tr")).to_have_count(7)
        await expect(page.locator("#topic-count")).to_contain_text("7 sujets affichés sur 36")
        await screenshot(page, "topics-list", full_page=False)
        await page.locator('#topic-rows a[href="/topics/plp.join"]').click()
        await page.get_by_role("button", name="Modifier ce sujet").click()

        # A French answer that breaks a rule: the message appears next to the field.
        answer = page.locator("#fr-answer")
        await answer.fill(TOO_SHORT)
        messages = page.locator("#fr-answer-messages")
        await expect(messages).to_contain_text("fr.answer has 5 words (60-150 expected)")
        await expect(page.locator("#fr-answer-count")).to_contain_text("5")
        await answer.scroll_into_view_if_needed()
        await screenshot(page, "topic-editor", full_page=False)

        # Fixed: the message goes away; the French preview shows what the citizen will see.
        await answer.fill(NEW_ANSWER)
        await expect(messages).to_have_text("")
        await page.get_by_role("button", name="Aperçu dans Telegram (Français)").click()
        bubble = page.locator("#preview-fr .telegram-preview__text").first
        await expect(bubble).to_contain_text("Pour rejoindre un PLP, contactez d'abord")
        await expect(page.locator("#preview-fr .telegram-preview__buttons").first).to_contain_text(
            "En savoir plus"
        )
        await page.get_by_role("button", name="Aperçu dans Telegram (Nederlands)").click()
        await expect(page.locator("#preview-nl .telegram-preview__text").first).to_contain_text(
            "Elke volwassene"
        )
        await screenshot(page, "topic-preview", element=page.locator(".preview-row"))

        await page.locator("#comment").fill("Réponse plus directe, le numéro d'urgence reste.")
        await page.get_by_role("button", name="Envoyer en relecture").click()
        await expect(page.locator("#messages")).to_contain_text("envoyé en relecture")
        await page.get_by_role("button", name="Se déconnecter").click()

        # The reviewer signs in with their own link, reads the change and approves it.
        await sign_in(page, base, rita, public_url)
        await page.goto(f"{base}/review")
        item = page.locator(".review-item")
        await expect(item).to_have_count(1)
        await expect(item).to_contain_text("Ana Dupont")
        await expect(item).to_contain_text("Réponse plus directe")
        await expect(item.locator("ins").first).to_be_visible()
        await screenshot(page, "review")
        await page.get_by_role("button", name="Approuver et publier plp.join").click()
        await expect(page.locator("#messages")).to_contain_text("publié")

        await page.goto(f"{base}/topics/plp.join/history")
        await expect(page.locator("tbody tr")).to_have_count(2)
        await expect(page.locator("tbody tr").first).to_contain_text("Rita Lambert")
        await screenshot(page, "topic-history")

        # The running bot picks the new file up by itself and answers with it.
        after = await chat.send(QUESTION)
        text = after[0].text
        assert "Pour rejoindre un PLP, contactez d'abord votre agent de quartier" in text
        assert "Tout adulte qui habite" not in text
        published = (content_dir / "topics" / "plp.join.yml").read_text(encoding="utf-8")
        assert re.search(r"^reviewed_by: Rita Lambert$", published, re.MULTILINE)
    finally:
        await storage.close()
