"""End to end: the real application polls a fake Bot API server over HTTP and answers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from bot.base.languages import LANGUAGE_NAMES
from bot.base.settings import Settings
from bot.base.turns import UserRecord
from bot.catalog.topics import Catalog
from bot.channels.telegram.app import APOLOGY, TelegramApplication
from bot.channels.telegram.groups import ADMINS_ONLY
from bot.channels.telegram.handlers.media import TEXT_ONLY
from bot.channels.telegram.io import SLOW_DOWN
from bot.storage import Storage
from tests.helpers.fake_bot_api import TOKEN, Call, FakeBotAPI
from tests.helpers.project import NOW
from tests.helpers.telegram_bot import ADMIN_ID, BotUnderTest, polling

MENU_LABEL = {"fr": "Cambriolage", "nl": "Inbraak", "de": "Einbruch", "en": "Burglary"}


def sent(calls: list[Call]) -> list[Call]:
    return [call for call in calls if call.method == "sendMessage"]


def buttons(call: Call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def translate(bot: BotUnderTest, language: str, message_id: str) -> str:
    translated: str = bot.application.bot_data.services.translator.gettext(language)(message_id)
    assert translated != message_id or language == "en"
    return translated


def storage_of(bot: BotUnderTest) -> Storage:
    storage: Storage = bot.application.bot_data.services.storage
    return storage


def catalog_of(bot: BotUnderTest) -> Catalog:
    catalog: Catalog = bot.application.bot_data.services.content.catalog
    return catalog


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
async def test_start_greets_in_the_telegram_language(
    bot: BotUnderTest, api: FakeBotAPI, language: str
) -> None:
    [call] = sent(await bot.send(api.text_update(100, "/start", language_code=language)))
    assert call.params["parse_mode"] == "HTML"
    assert buttons(call)[0] == (MENU_LABEL[language], "group:burglary")
    user = await storage_of(bot).users.get(100)
    assert user is not None
    assert user.language == language


async def test_unknown_telegram_language_gets_the_chooser(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    [call] = sent(await bot.send(api.text_update(101, "/start", language_code="es")))
    assert [label for label, _ in buttons(call)] == list(LANGUAGE_NAMES.values())


async def test_commands_are_registered_once_per_language(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    calls = api.calls_of("setMyCommands")
    languages = [call.params.get("language_code") for call in calls]
    assert languages == ["fr", "nl", "de", "en", None, None]
    translator = bot.application.bot_data.services.translator
    for call in calls[:4]:
        language = call.params["language_code"]
        commands = {c["command"]: c["description"] for c in call.params["commands"]}
        assert {"start", "help", "menu", "language", "mydata", "forget", "about"} <= set(commands)
        assert commands["menu"] == translator.gettext(language)("Browse the prevention subjects")
        assert not {"announce", "reload"} & set(commands)
    # The admin's own chat also lists the admin commands.
    admin = calls[-1].params
    assert admin["scope"] == {"type": "chat", "chat_id": ADMIN_ID}
    assert {"announce", "reload", "menu"} <= {c["command"] for c in admin["commands"]}


async def test_a_question_is_answered_with_its_source(bot: BotUnderTest, api: FakeBotAPI) -> None:
    [call] = sent(await bot.send(api.text_update(102, "comment rejoindre un PLP ?")))
    topic = catalog_of(bot).topics["plp.join"].text("fr")
    text = call.params["text"]
    assert text.startswith(f"<b>{topic.title}</b>")
    assert f'<a href="{topic.sources[0]}">' in text.replace("&amp;", "&")
    data = [data for _, data in buttons(call)]
    assert "more:plp.join@fr" in data
    assert {"vote:plp.join:1@fr", "vote:plp.join:0@fr", "menu"} <= set(data)


async def test_the_menu_and_its_buttons(bot: BotUnderTest, api: FakeBotAPI) -> None:
    [menu] = sent(await bot.send(api.text_update(103, "/menu")))
    assert ("PLP (voisinage)", "group:plp") in buttons(menu)
    # A group button edits the menu in place...
    calls = await bot.send(api.callback_update(103, "group:plp", message_id=77))
    assert [call.method for call in calls] == ["answerCallbackQuery", "editMessageText"]
    edit = calls[1]
    assert edit.params["message_id"] == 77
    assert ("Rejoindre un PLP", "topic:plp.join") in buttons(edit)
    # ...and a topic button answers with a new message.
    calls = await bot.send(api.callback_update(103, "topic:plp.join"))
    assert [call.method for call in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params["text"].startswith("<b>Rejoindre un PLP</b>")
    # "Tell me more" and a vote.
    [more] = sent(await bot.send(api.callback_update(103, "more:plp.join@fr")))
    assert more.params["text"].startswith("<b>Rejoindre un PLP</b>")
    [thanks] = sent(await bot.send(api.callback_update(103, "vote:plp.join:1@fr")))
    assert thanks.params["text"]


async def test_a_deep_link_opens_its_topic(bot: BotUnderTest, api: FakeBotAPI) -> None:
    [call] = sent(await bot.send(api.text_update(104, "/start plp-join", language_code="nl")))
    title = catalog_of(bot).topics["plp.join"].text("nl").title
    assert call.params["text"].startswith(f"<b>{title}</b>")


async def test_language_command_and_buttons(bot: BotUnderTest, api: FakeBotAPI) -> None:
    await bot.text(105, "/start")
    await bot.text(105, "/language nl")
    user = await storage_of(bot).users.get(105)
    assert user is not None
    assert user.language == "nl"
    [chooser] = sent(await bot.send(api.text_update(105, "/language")))
    assert ("Deutsch", "lang:de") in buttons(chooser)
    await bot.send(api.callback_update(105, "lang:de"))
    user = await storage_of(bot).users.get(105)
    assert user is not None
    assert user.language == "de"
    [menu] = sent(await bot.send(api.text_update(105, "/menu")))
    assert buttons(menu)[0][0] == "Einbruch"


async def test_subscribe_then_unsubscribe(bot: BotUnderTest, api: FakeBotAPI) -> None:
    await bot.text(106, "/start")
    subscribed = await bot.text(106, "/subscribe 1000")
    assert "Bruxelles" in subscribed[-1]
    assert "Bruxelles" in (await bot.text(106, "/mydata"))[-1]
    [choice] = sent(await bot.send(api.text_update(106, "/unsubscribe")))
    [(label, data)] = buttons(choice)
    assert "Bruxelles" in label
    assert data.startswith("unsub:")
    await bot.send(api.callback_update(106, data))
    assert "Bruxelles" not in (await bot.text(106, "/mydata"))[-1]


async def test_a_deep_link_starts_a_subscription(bot: BotUnderTest, api: FakeBotAPI) -> None:
    answers = await bot.text(106, "/start sub-4700", language_code="de")
    assert "Eupen" in answers[-1]


async def test_a_flood_is_answered_slow_down_once(
    tg_settings: Settings, api: FakeBotAPI, make_app: Callable[..., TelegramApplication]
) -> None:
    flood = replace(tg_settings.telegram, flood_max_messages=3, flood_window_seconds=60)
    async with polling(make_app(replace(tg_settings, telegram=flood)), api) as bot:
        ids = [api.push(api.text_update(124, "/help")) for _ in range(30)]
        await bot.handled(ids[-1])
        texts = api.sent_texts(124)
        assert len(texts) == 4
        assert texts[3] == translate(bot, "fr", SLOW_DOWN)
        assert await bot.text(125, "/help")  # other users are not affected


async def test_forget_deletes_the_user(bot: BotUnderTest, api: FakeBotAPI) -> None:
    await bot.text(107, "/start")
    [question] = sent(await bot.send(api.text_update(107, "/forget")))
    assert "forget:yes" in [data for _, data in buttons(question)]
    await bot.send(api.callback_update(107, "forget:yes"))
    assert await storage_of(bot).users.get(107) is None


@pytest.mark.parametrize(
    "text",
    ["il y a un cambrioleur chez moi maintenant", "er is nu een inbreker in mijn huis"],
)
async def test_an_emergency_is_answered_with_112_first(
    bot: BotUnderTest, api: FakeBotAPI, text: str
) -> None:
    answers = await bot.text(108, text)
    assert "112" in answers[0]


@pytest.mark.parametrize(
    "content",
    [
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                     "is_animated": False, "is_video": False, "type": "regular"}},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
        {"location": {"latitude": 50.85, "longitude": 4.35}},
        {"document": {"file_id": "d", "file_unique_id": "d"}},
        {"video": {"file_id": "m", "file_unique_id": "m", "width": 1, "height": 1,
                   "duration": 1}},
        {"contact": {"phone_number": "+32", "first_name": "A"}},
    ],
    ids=["photo", "sticker", "voice", "location", "document", "video", "contact"],
)  # fmt: skip
async def test_non_text_gets_a_polite_answer(
    bot: BotUnderTest, api: FakeBotAPI, content: dict[str, Any]
) -> None:
    [call] = sent(await bot.send({"message": api.message(109, language_code="de", **content)}))
    assert call.params["text"] == translate(bot, "de", TEXT_ONLY)


@pytest.mark.parametrize(
    "data", ["topic:nope", "more:", "vote:plp.join:7", "lang:xx", "x" * 64, "é" * 32, ":"]
)
async def test_a_forged_or_stale_callback_shows_the_menu(
    bot: BotUnderTest, api: FakeBotAPI, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    calls = await bot.send(api.callback_update(110, data))
    assert calls[0].method == "answerCallbackQuery"
    assert all(record.levelno < logging.ERROR for record in caplog.records)
    assert sent(calls) or calls[-1].method == "editMessageText"


async def test_a_button_too_old_to_acknowledge_still_works(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    api.fail_next("answerCallbackQuery", 400, description="Bad Request: query is too old")
    calls = await bot.send(api.callback_update(126, "topic:plp.join"))
    assert [call.method for call in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params["text"].startswith("<b>Rejoindre un PLP</b>")


async def test_edited_messages_are_not_answered_again(bot: BotUnderTest, api: FakeBotAPI) -> None:
    edited = api.message(111, text="comment rejoindre un PLP ?", edit_date=1)
    assert await bot.send({"edited_message": edited}) == []


async def test_a_forwarded_text_is_a_question(bot: BotUnderTest, api: FakeBotAPI) -> None:
    origin = {"type": "hidden_user", "sender_user_name": "Someone", "date": 1}
    update = {
        "message": api.message(112, text="comment rejoindre un PLP ?", forward_origin=origin)
    }
    [call] = sent(await bot.send(update))
    assert call.params["text"].startswith("<b>Rejoindre un PLP</b>")


async def test_a_4096_character_message_is_handled(bot: BotUnderTest, api: FakeBotAPI) -> None:
    answers = await bot.text(113, ("cambriolage " * 400)[:4096])
    assert answers
    assert all(len(text) <= 4096 for text in answers)


async def test_unknown_commands(bot: BotUnderTest, api: FakeBotAPI) -> None:
    [answer] = await bot.text(114, "/frobnicate")
    assert "Je ne connais pas cette commande." in answer
    assert await bot.text(-1001, "/frobnicate", user_id=114) == []  # maybe another bot's
    [answer] = await bot.text(-1001, "/frobnicate@preventbot_test_bot", user_id=114)
    assert "Je ne connais pas cette commande." in answer


async def test_in_a_group_only_mentions_and_replies_are_answered(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    group = -1002
    assert await bot.text(group, "comment rejoindre un PLP ?", user_id=115) == []
    mention = "@preventbot_test_bot comment rejoindre un PLP ?"
    entity = {"type": "mention", "offset": 0, "length": len("@preventbot_test_bot")}
    [answer] = await bot.text(group, mention, user_id=115, entities=[entity])
    assert answer.startswith("<b>Rejoindre un PLP</b>")
    reply_to = {**api.message(group, text="…"), "from": api.bot_user}
    [answer] = await bot.text(group, "et une alarme ?", user_id=115, reply_to_message=reply_to)
    assert answer
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    assert await bot.send({"message": api.message(group, user_id=115, photo=photo)}) == []
    [answer] = await bot.text(group, "/menu", user_id=115)
    assert answer


async def test_a_lone_surrogate_in_a_group_mention_is_answered(
    bot: BotUnderTest, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    # Forged JSON can carry lone UTF-16 surrogates; Telegram's offsets count UTF-16 units.
    mention = "@preventbot_test_bot"
    text = f"\ud83d {mention} comment rejoindre un PLP ? \udcee"
    entity = {"type": "mention", "offset": 2, "length": len(mention)}
    [answer] = await bot.text(-1004, text, user_id=131, entities=[entity])
    assert answer.startswith("<b>Rejoindre un PLP</b>")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_caption_that_mentions_the_bot_in_a_group_is_answered(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    caption = "is this lock good? @preventbot_test_bot \udcee"
    entity = {"type": "mention", "offset": 19, "length": len("@preventbot_test_bot")}
    message = api.message(-1006, user_id=133, photo=photo, caption=caption)
    [call] = sent(await bot.send({"message": {**message, "caption_entities": [entity]}}))
    assert call.params["text"] == translate(bot, "fr", TEXT_ONLY)
    other = api.message(-1006, user_id=133, photo=photo, caption="@someone_else look")
    assert await bot.send({"message": other}) == []


@pytest.mark.parametrize("chat", [134, -1007])
@pytest.mark.parametrize("shape", ["no data", "empty data", "game", "inline message"])
async def test_every_button_press_is_answered_whatever_its_shape(
    bot: BotUnderTest, api: FakeBotAPI, caplog: pytest.LogCaptureFixture, chat: int, shape: str
) -> None:
    update = api.callback_update(chat, "")
    query = update["callback_query"]
    if shape != "empty data":
        del query["data"]
    if shape == "game":
        query["game_short_name"] = "tetris"
    if shape == "inline message":
        del query["message"]
        query["inline_message_id"] = "AAAA"
    calls = await bot.send(update)
    assert [call.method for call in calls if call.method != "sendMessage"] == [
        "answerCallbackQuery"
    ]
    assert calls[0].params["callback_query_id"] == query["id"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_in_a_group_only_admins_manage_reminders(bot: BotUnderTest, api: FakeBotAPI) -> None:
    group = -1003
    calls = await bot.send(api.text_update(group, "/subscribe 1000", user_id=116))
    only_admins = translate(bot, "fr", ADMINS_ONLY)
    assert [call.method for call in calls] == ["getChatMember", "sendMessage"]
    assert calls[1].params["text"] == only_admins
    api.chat_members[(group, 117)] = "administrator"
    calls = await bot.send(api.text_update(group, "/subscribe 1000", user_id=117))
    assert calls[0].method == "getChatMember"
    assert calls[-1].params["text"] != only_admins
    calls = await bot.send(api.callback_update(group, "unsub:all", user_id=116))
    assert sent(calls)[0].params["text"] == only_admins


async def test_retry_after_is_waited_out(bot: BotUnderTest, api: FakeBotAPI) -> None:
    api.fail_next("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    calls = await bot.send(api.text_update(118, "/help"))
    assert [call.method for call in calls] == ["sendMessage", "sendMessage"]
    assert calls[1].at - calls[0].at >= 1.0
    assert time.monotonic() - started < 5


async def test_an_answer_to_a_group_that_just_moved_moves_its_data(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    old, new = -131, -1000131
    storage = await group_speaking(bot, old, "de")
    api.fail_next(
        "sendMessage",
        400,
        description="Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=new,
    )
    calls = await bot.send(api.text_update(old, "/help", user_id=131))
    assert [call.method for call in calls] == ["sendMessage"]  # no apology to the old id
    await assert_moved(storage, old, new, "de")


async def test_a_user_who_blocked_the_bot_is_marked_inactive(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    await bot.text(119, "/start")
    api.fail_next("sendMessage", 403)
    calls = await bot.send(api.text_update(119, "/help"))
    assert [call.method for call in calls] == ["sendMessage"]  # no apology to a blocked chat
    user = await storage_of(bot).users.get(119)
    assert user is not None
    assert not user.active


async def test_blocking_and_unblocking_the_bot(bot: BotUnderTest, api: FakeBotAPI) -> None:
    await bot.text(120, "/start")

    def change(status: str) -> dict[str, Any]:
        member: dict[str, Any] = {"status": status, "user": api.bot_user}
        if status == "kicked":
            member["until_date"] = 0
        return {
            "my_chat_member": {
                "chat": api.chat(120),
                "from": api.user(120),
                "date": 1,
                "old_chat_member": {"status": "member", "user": api.bot_user},
                "new_chat_member": member,
            }
        }

    await bot.send(change("kicked"))
    user = await storage_of(bot).users.get(120)
    assert user is not None
    assert not user.active
    await bot.send(change("member"))
    user = await storage_of(bot).users.get(120)
    assert user is not None
    assert user.active


async def group_speaking(bot: BotUnderTest, chat_id: int, language: str) -> Storage:
    """A group the bot already knows, with its chosen language; its storage."""
    storage = storage_of(bot)
    await storage.users.save(UserRecord(chat_id, language=language), NOW)
    return storage


async def assert_moved(storage: Storage, old: int, new: int, language: str) -> None:
    """The old id is gone and the new one has the group's language."""
    assert await storage.users.get(old) is None
    moved = await storage.users.get(new)
    assert moved is not None
    assert moved.language == language


async def test_a_group_upgraded_to_a_supergroup_keeps_its_subscription(
    bot: BotUnderTest, api: FakeBotAPI
) -> None:
    old, new = -130, -1000130
    storage = await group_speaking(bot, old, "nl")
    await storage.subscriptions.add(old, "44021", "nl", NOW, 5)
    # Telegram sends a service message in the old group, then one in the new supergroup.
    calls = await bot.send({"message": api.message(old, migrate_to_chat_id=new)})
    calls += await bot.send({"message": api.message(new, migrate_from_chat_id=old)})
    assert calls == []  # nothing is said about it
    await assert_moved(storage, old, new, "nl")
    places = await storage.subscriptions.places_of(new)
    assert [place.nis for place in places] == ["44021"]


async def test_the_bot_survives_the_server_going_down(bot: BotUnderTest, api: FakeBotAPI) -> None:
    assert await bot.text(121, "/help")
    await api.stop()
    update_id = api.push(api.text_update(121, "/about"))
    await asyncio.sleep(0.5)
    await api.start()
    await bot.handled(update_id, within=20)
    assert "112" in api.sent_texts(121)[-1]


async def test_an_error_is_logged_and_the_user_gets_an_apology(
    bot: BotUnderTest, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("boom")

    dialogue = bot.application.bot_data.dialogue
    dialogue.process = broken
    answers = await bot.text(122, "bonjour", language_code="nl")
    assert answers == [translate(bot, "nl", APOLOGY)]
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None
    assert "boom" in str(record.exc_info[1])


async def test_the_token_never_reaches_the_logs(
    bot: BotUnderTest, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.fail_next("sendMessage", 400)
    await bot.text(123, "/help")
    await bot.text(123, "/about")
    assert "[REDACTED]" in caplog.text  # httpx logged the request URLs
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text
