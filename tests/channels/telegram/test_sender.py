"""TelegramSender: the reminders Sender protocol over a real telegram.Bot and the fake server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.base.turns import Button, Reply
from bot.channels.telegram.sender import TelegramSender
from bot.reminders.sender import Sender, SendStatus
from tests.helpers.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers.telegram_checks import message_problems

REPLY = Reply("<b>Campagne</b> &amp; rappel", ((Button("Menu", "menu"),),))


@pytest.fixture
async def sender(api: FakeBotAPI) -> AsyncIterator[TelegramSender]:
    """A plain Bot (no rate limiter, so RetryAfter reaches the sender)."""
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        yield TelegramSender(bot)


async def test_sent(sender: TelegramSender, api: FakeBotAPI) -> None:
    protocol: Sender = sender
    result = await protocol.send(7, REPLY)
    assert result.status is SendStatus.SENT
    [call] = api.calls_of("sendMessage")
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Menu", "callback_data": "menu"}]]
    }


async def test_long_reply_is_split_with_the_keyboard_on_the_last_part(
    sender: TelegramSender, api: FakeBotAPI
) -> None:
    reply = Reply("<b>" + "lorem ipsum " * 1000 + "</b>", REPLY.buttons)
    assert (await sender.send(7, reply)).status is SendStatus.SENT
    calls = api.calls_of("sendMessage")
    assert len(calls) == 3
    assert [("reply_markup" in call.params) for call in calls] == [False, False, True]
    assert all(message_problems(call) == [] for call in calls)


async def test_blocked_is_forbidden(sender: TelegramSender, api: FakeBotAPI) -> None:
    api.fail_next("sendMessage", 403)
    result = await sender.send(7, REPLY)
    assert result.status is SendStatus.FORBIDDEN
    assert "blocked" in result.detail


async def test_flood_control_is_retry_later_with_its_delay(
    sender: TelegramSender, api: FakeBotAPI
) -> None:
    api.fail_next("sendMessage", 429, retry_after=7)
    result = await sender.send(7, REPLY)
    assert (result.status, result.retry_after) == (SendStatus.RETRY_LATER, 7.0)


async def test_group_upgraded_to_supergroup_is_moved_with_its_new_id(
    sender: TelegramSender, api: FakeBotAPI
) -> None:
    description = "Bad Request: group chat was upgraded to a supergroup chat"
    api.fail_next("sendMessage", 400, description=description, migrate_to_chat_id=-1009)
    result = await sender.send(-7, REPLY)
    assert (result.status, result.new_chat_id) == (SendStatus.MOVED, -1009)


async def test_bad_request_is_failed(sender: TelegramSender, api: FakeBotAPI) -> None:
    api.fail_next("sendMessage", 400)
    assert (await sender.send(7, REPLY)).status is SendStatus.FAILED


async def test_server_error_and_network_down_are_retry_later(
    sender: TelegramSender, api: FakeBotAPI
) -> None:
    api.fail_next("sendMessage", 502, description="Bad Gateway")
    assert (await sender.send(7, REPLY)).status is SendStatus.RETRY_LATER
    await api.stop()
    assert (await sender.send(7, REPLY)).status is SendStatus.RETRY_LATER
    await api.start()
    assert (await sender.send(7, REPLY)).status is SendStatus.SENT


async def test_network_errors_can_be_retried_in_place(api: FakeBotAPI) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        sender = TelegramSender(bot, network_retry_delays=(0.0, 0.0))
        api.fail_next("sendMessage", 502, description="Bad Gateway", times=2)
        assert (await sender.send(7, REPLY)).status is SendStatus.SENT
    assert len(api.calls_of("sendMessage")) == 3


async def test_paid_broadcast_is_asked_only_when_set(api: FakeBotAPI) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        assert (await TelegramSender(bot).send(7, REPLY)).status is SendStatus.SENT
        paid = TelegramSender(bot, paid_broadcast=True)
        assert (await paid.send(8, REPLY)).status is SendStatus.SENT
    free, paying = api.calls_of("sendMessage")
    assert "allow_paid_broadcast" not in free.params
    assert paying.params["allow_paid_broadcast"] == "true"  # form-encoded by PTB
