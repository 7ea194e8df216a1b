"""In Chromium: an admin signs in, reads the calendar, announces a local action, and follows
its sending while the bot's reminder pass delivers it (the table refreshes by itself)."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from bot.base.settings import Settings
from bot.reminders.delivery import run_due_pass
from bot.reminders.ratelimit import TokenBucket
from bot.staff import accounts
from bot.web.services import WebServices
from tests.helpers.browser import LiveServer, screenshot
from tests.helpers.live_workspace import LiveWorkspace
from tests.helpers.project import NOW
from tests.helpers.reminders import FakeSender, add_subscriber

EUPEN, KELMIS, GENT = "63023", "63040", "44021"


async def seed(services: WebServices) -> str:
    """Three subscribers (two of them in 4700 and Kelmis) and an admin; her sign-in path."""
    storage = services.storage
    for chat, nis, language in ((1, EUPEN, "fr"), (2, KELMIS, "de"), (3, GENT, "nl")):
        await add_subscriber(storage, chat, nis, language)
    public_url = services.settings.web.public_url
    _member, url = await accounts.invite(
        storage.staff, "Ada Peeters", "admin", "en", public_url, NOW
    )
    return url.removeprefix(public_url)


async def test_an_admin_announces_and_follows_the_sending(
    page: Page, live_server: LiveServer, settings: Settings, storage_template: Path
) -> None:
    workspace = LiveWorkspace(settings, storage_template, prepare=seed)
    base = live_server(workspace)

    await page.goto(f"{base}{workspace.prepared}?next=/campaigns")
    await page.locator("main button[type=submit]").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Campaign calendar")
    first = page.locator("tbody tr").first
    await expect(first.locator("th")).to_contain_text("winter-holidays")
    await expect(first).to_contain_text("every year on the second Saturday of December")
    await expect(first.locator("td.number")).to_have_text("3")
    await screenshot(page, "campaigns")

    await page.get_by_role("link", name="Announcements").click()
    await page.get_by_role("link", name="New announcement").click()
    await page.get_by_label("Places").fill("4700, Kelmis")
    await page.get_by_role("button", name="Show the reach").click()
    await expect(page.locator("#reach .reach__count")).to_have_text("2")
    await expect(page.locator("#reach")).to_contain_text("Eupen, Kelmis")
    await page.locator("#text-fr").fill("Marquage de vélos samedi <b>10h</b> à l'hôtel de ville.")
    await page.locator("#text-de").fill("Fahrradcodierung am Samstag um 10 Uhr im Rathaus.")
    await page.get_by_role("button", name="Continue").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the announcement")
    await expect(page.locator(".telegram-preview").first).to_contain_text("<b>10h</b>")
    await page.get_by_role("button", name="Send to 2 subscribers").click()

    progress = page.locator("#run-progress tbody tr").first
    await expect(page.locator("#messages")).to_contain_text("The announcement is planned")
    await expect(progress.locator("td.number")).to_have_text(["0", "2", "0", "0"])
    await workspace.run(
        lambda services: run_due_pass(services, FakeSender(), NOW, TokenBucket(None))
    )
    # htmx asks again every 5 seconds while messages are pending.
    await expect(progress.locator("td.number")).to_have_text(["2", "0", "0", "0"], timeout=8_000)
    await expect(page.locator("#run-progress")).not_to_have_attribute("hx-trigger", "every 5s")
    await screenshot(page, "announcement")
