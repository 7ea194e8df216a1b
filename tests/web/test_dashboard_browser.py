"""In Chromium: citizens ask questions through the real dialogue over a week, then an editor
opens the dashboard, reads its charts (numbers on hover), narrows it, and downloads a CSV."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from playwright.async_api import Page, expect

from bot.app import assemble
from bot.base.settings import Settings
from bot.staff import accounts
from bot.storage import Run
from bot.web.services import WebServices
from nlu import EmbeddedNLU
from tests.helpers.browser import LiveServer, screenshot
from tests.helpers.dialogue import press, say
from tests.helpers.live_workspace import LiveWorkspace
from tests.helpers.project import NOW
from tests.helpers.reminders import add_subscriber

# (days ago, chat, text): questions in four languages, some the bot cannot answer.
QUESTIONS = (
    (6, 1, "comment rejoindre un PLP ?"),
    (6, 2, "hoe beveilig ik mijn voordeur"),
    (5, 3, "wie sichere ich meine Haustür"),
    (4, 4, "how do I join a neighbourhood information network"),
    (4, 1, "quel temps fera-t-il demain à Ostende"),
    (3, 5, "comment rejoindre un PLP ?"),
    (2, 6, "hoe beveilig ik mijn voordeur"),
    (2, 7, "wie wird das Fußballspiel heute ausgehen"),
    (1, 8, "comment protéger ma maison des cambrioleurs"),
    (0, 9, "comment rejoindre un PLP ?"),
    (0, 10, "au secours un cambrioleur !!"),
    (0, 11, "bonjour"),
)
PLACES = ((1, "63023", "fr"), (2, "44021", "nl"), (3, "63040", "de"), (5, "21009", "fr"))


def seeding(nlu: EmbeddedNLU) -> Callable[[WebServices], Awaitable[str]]:
    """The workspace's `prepare`: the questions above through the real dialogue, votes,
    subscribers and a reminder; returns an editor's sign-in path."""

    async def seed(services: WebServices) -> str:
        storage = services.storage
        for days_ago, chat, text in QUESTIONS:
            moment = NOW - timedelta(days=days_ago)
            dialogue = assemble(
                services.settings, services.content, nlu, storage, lambda m=moment: m
            ).dialogue
            await say(dialogue, text, chat_id=chat)
            if chat in (1, 5):
                await press(dialogue, "vote:plp.join:0@fr", chat_id=chat)
        for chat, nis, language in PLACES:
            await add_subscriber(storage, chat, nis, language)
        run = Run(
            "dark-season@2026", "dark-season", {"fr": "Texte"}, None, NOW, NOW + timedelta(1)
        )
        await storage.deliveries.plan(run, NOW, "fr")
        for delivery in (await storage.deliveries.pending(0, 10))[:3]:
            await storage.deliveries.mark(delivery.id, "sent", NOW)
        public_url = services.settings.web.public_url
        _member, url = await accounts.invite(
            storage.staff, "Ada Peeters", "editor", "en", public_url, NOW
        )
        return url.removeprefix(public_url)

    return seed


async def test_the_dashboard_shows_its_charts(
    page: Page,
    live_server: LiveServer,
    settings: Settings,
    storage_template: Path,
    trained_nlu: EmbeddedNLU,
) -> None:
    workspace = LiveWorkspace(settings, storage_template, prepare=seeding(trained_nlu))
    base = live_server(workspace)
    await page.goto(f"{base}{workspace.prepared}?next=/dashboard")
    await page.locator("main button[type=submit]").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    charts = page.locator("svg.chart[role=img]")
    await expect(charts).to_have_count(8)
    await expect(page.get_by_role("img", name="Questions per day")).to_be_visible()
    # Every chart drew something: no "No data" anywhere.
    await expect(page.locator(".chart__empty")).to_have_count(0)
    today = page.locator("#chart-questions circle title", has_text=f"{NOW.date()} – Français")
    await expect(today).to_have_text(f"{NOW.date()} – Français: 3")
    topics = page.locator("#chart-topics rect.chart__series-0 title").first
    await expect(topics).to_contain_text("PLP")
    await expect(topics).to_contain_text(": 4")  # three in French, one in English
    unhelpful = page.locator("#chart-unhelpful rect.chart__series-0 title").first
    await expect(unhelpful).to_contain_text("100 %")
    provinces = page.locator("#chart-provinces rect title")
    await expect(provinces.first).to_have_text("Province de Liège – Subscribers: 2")
    reminders = page.locator("#chart-reminders rect.chart__bar title")
    await expect(reminders).to_have_text(
        [
            f"dark-season {NOW.date()} – Sent: 3",
            f"dark-season {NOW.date()} – Pending: 1",
            f"dark-season {NOW.date()} – Failed: 0",
        ]
    )
    # The charts are drawn with the stylesheet's colours (the CSP allows no inline style).
    fill = await page.locator("#chart-topics rect.chart__series-0").first.evaluate(
        "bar => getComputedStyle(bar).fill"
    )
    assert fill == "rgb(0, 114, 178)"
    await screenshot(page, "dashboard")

    await page.get_by_label("Period", exact=True).select_option("7")
    await page.get_by_label("Language", exact=True).select_option("nl")
    await page.get_by_role("button", name="Show").click()
    await expect(page).to_have_url(f"{base}/dashboard?period=7&from=&to=&language=nl")
    await expect(page.locator("#chart-questions circle")).to_have_count(7)
    await expect(page.locator("#chart-questions circle title").last).to_have_text(
        f"{NOW.date()} – Nederlands: 0"
    )
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Questions per day: the numbers (CSV)").click()
    download = await download_info.value
    saved = await download.path()
    text = await asyncio.to_thread(saved.read_text, encoding="utf-8")
    assert text.splitlines()[0] == "Day,Nederlands"
    assert text.count("\n") == 8
