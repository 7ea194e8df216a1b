"""The application's set-up: token, webhook, command menus, jobs, content reload, errors."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.base.errors import BotError, ConfigError
from bot.base.i18n import Translator
from bot.base.settings import Settings, TelegramSettings
from bot.catalog.store import ContentStore
from bot.channels.telegram import jobs as telegram_jobs
from bot.channels.telegram.app import TelegramApplication, webhook_options, webhook_secret
from bot.channels.telegram.commands import bot_commands
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.jobs import CONTENT_JOB, REMINDERS_JOB, find_due_pass, reload_content
from bot.channels.telegram.sender import TelegramSender
from bot.dialogue.services import Services
from bot.reminders.sender import Sender
from tests.helpers.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers.telegram_bot import ADMIN_ID, BotUnderTest, polling, webhook
from tests.helpers.telegram_updates import KNOWN_COMMANDS

MakeApp = Callable[..., TelegramApplication]


def test_the_token_is_required(settings: Settings, make_app: MakeApp) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        make_app(replace(settings, telegram=TelegramSettings(token=None)))


def test_the_webhook_secret_comes_from_the_environment_or_the_token() -> None:
    assert webhook_secret(TOKEN, {"PREVENTBOT_WEBHOOK_SECRET": "my_Secret-1"}) == "my_Secret-1"
    derived = webhook_secret(TOKEN, {})
    assert derived == webhook_secret(TOKEN, {}) != webhook_secret(TOKEN + "x", {})
    assert derived.isalnum()
    assert len(derived) == 64
    assert TOKEN not in derived
    with pytest.raises(ConfigError, match="PREVENTBOT_WEBHOOK_SECRET"):
        webhook_secret(TOKEN, {"PREVENTBOT_WEBHOOK_SECRET": "no spaces please"})


def test_webhook_options(tg_settings: Settings) -> None:
    options = webhook_options(tg_settings, "https://bot.example.be/tg/hook", "0.0.0.0", 8443, {})
    assert options["url_path"] == "tg/hook"
    assert options["webhook_url"] == "https://bot.example.be/tg/hook"
    assert (options["listen"], options["port"]) == ("0.0.0.0", 8443)
    assert options["secret_token"] == webhook_secret(TOKEN, {})
    with pytest.raises(ConfigError, match="--webhook-url"):
        webhook_options(tg_settings, "bot.example.be/hook", "0.0.0.0", 8443, {})


MENU = [
    "start",
    "menu",
    "help",
    "language",
    "subscribe",
    "unsubscribe",
    "mydata",
    "forget",
    "about",
]


def test_command_menus_are_translated_and_follow_the_features(services: Services) -> None:
    translator = Translator(("fr", "nl", "de", "en"))
    commands = services.dialogue.flows.commands()
    english = {c.command: c.description for c in bot_commands(translator, "en", commands)}
    assert list(english) == MENU
    for language in ("fr", "nl", "de"):
        menu = bot_commands(translator, language, commands)
        translated = {c.command: c.description for c in menu}
        assert translated["menu"] != english["menu"], language
        assert all(3 <= len(text) <= 256 for text in translated.values())
    basics = [c for c in commands if c.name not in ("subscribe", "unsubscribe")]
    without = [c.command for c in bot_commands(translator, "fr", basics)]
    assert "subscribe" not in without
    assert "unsubscribe" not in without


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_checks_the_secret_on_every_call(
    tg_settings: Settings, api: FakeBotAPI, make_app: MakeApp
) -> None:
    port = free_port()
    options = webhook_options(tg_settings, "https://bot.example.be/hook", "127.0.0.1", port, {})
    async with webhook(make_app(tg_settings), api, **options) as bot:
        [set_webhook] = api.calls_of("setWebhook")
        assert set_webhook.params["url"] == "https://bot.example.be/hook"
        assert set_webhook.params["secret_token"] == options["secret_token"]
        update = {"update_id": 1, **api.text_update(130, "/help")}
        url = f"http://127.0.0.1:{port}/hook"
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            missing = await client.post(url, json=update)
            genuine = await client.post(
                url,
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": options["secret_token"]},
            )
        assert (forged.status_code, missing.status_code, genuine.status_code) == (403, 403, 200)
        await bot.handled(1)
        assert len(api.sent_texts(130)) == 1


async def test_jobs_are_scheduled(bot: BotUnderTest) -> None:
    job_queue = bot.application.job_queue
    assert job_queue is not None
    names = {job.name for job in job_queue.jobs()}
    assert CONTENT_JOB in names
    assert (REMINDERS_JOB in names) == (find_due_pass() is not None)


async def test_without_bot_delivery_the_reminders_job_is_skipped(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(telegram_jobs, "find_due_pass", lambda: None)
    assert telegram_jobs.schedule_reminders(bot.application) is False


async def test_the_reminders_job_runs_a_due_pass_with_a_telegram_sender(
    bot: BotUnderTest, clock: Callable[[], datetime]
) -> None:
    seen: list[tuple[Any, Sender, datetime]] = []

    async def run_due_pass(services: Any, sender: Sender, now: datetime) -> None:
        seen.append((services, sender, now))

    await telegram_jobs.send_reminders(run_due_pass, BotContext(bot.application))
    [(services, sender, now)] = seen
    assert services is bot.application.bot_data.services
    assert isinstance(sender, TelegramSender)
    assert now == clock()


async def test_a_rejected_content_edit_is_sent_to_the_admins_once(
    tg_settings: Settings, api: FakeBotAPI, make_app: MakeApp, tmp_path: Path
) -> None:
    root = tmp_path / "content"
    shutil.copytree(tg_settings.content_dir, root)
    topic = root / "topics" / "plp.join.yml"
    good = topic.read_text(encoding="utf-8")
    application = make_app(tg_settings, content_store=ContentStore.load(root))
    async with polling(application, api) as bot:
        context = BotContext(bot.application)
        await reload_content(context)  # nothing changed
        topic.write_text(good.replace("title: Rejoindre un PLP", "title: [broken"), "utf-8")
        await reload_content(context)
        [report] = api.calls_of("sendMessage")
        assert report.params["chat_id"] == ADMIN_ID
        assert "plp.join.yml:10" in report.params["text"]
        assert "<pre>" in report.params["text"]
        # The same broken state again (file saved again): not reported twice.
        os.utime(topic, ns=(1, 1))
        await reload_content(context)
        assert len(api.calls_of("sendMessage")) == 1
        # Fixed, then broken again: reported again. The good content stayed live throughout.
        assert "plp.join" in bot.application.bot_data.services.content.catalog.topics
        topic.write_text(good, "utf-8")
        await reload_content(context)
        topic.write_text(good.replace("title: Rejoindre un PLP", "title: [broken"), "utf-8")
        await reload_content(context)
        assert len(api.calls_of("sendMessage")) == 2


async def test_a_bot_error_is_told_to_the_user_in_their_language(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    async def failing(*args: object) -> None:
        raise BotError("Choose your language:")

    bot.application.bot_data.dialogue.process = failing
    [answer] = await bot.text(131, "bonjour", language_code="nl")
    translator = bot.application.bot_data.services.translator
    assert answer == translator.gettext("nl")("Choose your language:")


def test_the_generated_updates_know_every_command(services: Services) -> None:
    declared = {command.name for command in services.dialogue.flows.commands()}
    assert declared == KNOWN_COMMANDS


def test_admin_menu_adds_the_admin_commands_translated(services: Services) -> None:
    translator = Translator(("fr", "nl", "de", "en"))
    commands = services.dialogue.flows.commands()
    for language in ("fr", "nl", "de"):
        found = bot_commands(translator, language, commands, admin=True)
        menu = {c.command: c.description for c in found}
        assert menu["reload"] != "Reload the content files"
        assert "announce" in menu
    assert "announce" not in [c.command for c in bot_commands(translator, "fr", commands)]
