"""One delivery end to end: the pass, TelegramSender, PTB and the fake Bot API server."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.channels.telegram.sender import TelegramSender
from bot.cli.reminders import CliServices
from bot.reminders.delivery import DeliveryOptions, run_due_pass
from bot.reminders.ratelimit import TokenBucket
from tests.helpers.content import campaign, edit_calendar
from tests.helpers.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers.project import NOW
from tests.helpers.reminders import FakeSleep, add_subscriber


@pytest.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeBotAPI]:
    # PTB 22 warns (an error here) when it builds a RetryAfter unless timedeltas are opted in.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with FakeBotAPI() as server:
        yield server
        assert server.unexpected == []


async def test_reminders_reach_telegram_once_with_retry_after_and_blocked_users(
    api: FakeBotAPI, bundle: CliServices, sleep: FakeSleep, limiter: TokenBucket
) -> None:
    for chat, language in ((1, "fr"), (2, "nl"), (3, "de"), (4, "en")):
        await add_subscriber(bundle.storage, chat, "63023", language)
    options = DeliveryOptions(concurrency=1)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        sender = TelegramSender(bot)
        api.fail_next("sendMessage", 429, retry_after=7)
        report = await run_due_pass(bundle, sender, NOW, limiter, options)
        assert (report.sent, report.retried) == (4, 1)
        assert sleep.waits == [7.0]
        assert Counter(c.params["chat_id"] for c in api.calls_of("sendMessage")) == Counter(
            {1: 2, 2: 1, 3: 1, 4: 1}  # chat 1: refused once (429), then delivered
        )
        assert "Herinnering in het Nederlands." in api.sent_texts(2)[0]
        assert api.calls_of("sendMessage")[1].params["parse_mode"] == "HTML"
        # One tap under the reminder stops them all, labelled in the reader's language.
        to_dutch = next(c for c in api.calls_of("sendMessage") if c.params["chat_id"] == 2)
        [[stop]] = to_dutch.params["reply_markup"]["inline_keyboard"]
        assert stop == {"text": "🔕 Stop de herinneringen", "callback_data": "unsub:all"}

        edit_calendar(bundle.content, campaign(id="second"))
        api.fail_next("sendMessage", 403)
        report = await run_due_pass(bundle, sender, NOW, limiter, options)
        assert (report.sent, report.forbidden) == (3, 1)
        user = await bundle.storage.users.get(1)
        assert user is not None
        assert not user.active
        edit_calendar(bundle.content, campaign(id="third"))
        report = await run_due_pass(bundle, sender, NOW, limiter, options)
        assert report.sent == 3  # the blocked user is no longer planned
    assert len(api.sent_texts(1)) == 3  # 429 (refused), delivered, 403 (refused); then none
