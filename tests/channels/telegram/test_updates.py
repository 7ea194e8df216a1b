"""Every update is made valid Unicode first; button presses without data reach the catch-all."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot, MessageEntity, Update

from bot.channels.telegram.io import entity_texts
from bot.channels.telegram.updates import clean, clean_json, clean_update
from tests.helpers.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers.telegram_checks import utf16_len

# Any code point, lone UTF-16 surrogates included (forged JSON can carry them).
any_text = st.text(st.characters(exclude_categories=()))


def test_clean_replaces_lone_surrogates_only() -> None:
    assert clean("plain") == "plain"
    assert clean("vélo 🚲") == "vélo 🚲"
    assert clean("\ud83d\udeb2") == "🚲"  # a valid pair becomes the character
    assert clean("a\udceeb\ud83d") == "a\ufffdb\ufffd"
    assert clean("\ufeffa") == "\ufeffa"  # a leading BOM is text, not a byte-order mark


@given(any_text)
def test_clean_gives_encodable_text_of_the_same_utf16_length(text: str) -> None:
    cleaned = clean(text)
    cleaned.encode("utf-8")  # no UnicodeEncodeError
    assert utf16_len(cleaned) == utf16_len(text)
    assert clean(cleaned) == cleaned


def test_clean_json_reaches_every_string() -> None:
    data = {"a\udcee": ["\ud83d", {"b": "ok\udcee"}, 3, None, True], "n": 1.5}
    assert clean_json(data) == {"a\ufffd": ["\ufffd", {"b": "ok\ufffd"}, 3, None, True], "n": 1.5}


def update_of(data: dict[str, Any]) -> Update:
    return Update.de_json({"update_id": 7, **data}, Bot(TOKEN))


def test_a_valid_update_is_kept_as_it_is() -> None:
    api = FakeBotAPI()
    update = update_of(api.text_update(5, "vélo 🚲 volé"))
    assert clean_update(update, update.get_bot()) is update


def test_every_text_of_an_update_is_cleaned() -> None:
    api = FakeBotAPI()
    replied = {**api.message(-5, text="bot \udcee"), "from": api.bot_user}
    message = api.message(-5, caption="photo \ud83d", reply_to_message=replied)
    message["from"]["first_name"] = "Jo\udcee"
    message["chat"]["title"] = "PLP \ud83d"
    message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    message["some_future_field\udcee"] = "x\ud83d"
    update = update_of({"message": message})
    cleaned = clean_update(update, update.get_bot())
    assert cleaned.update_id == 7
    assert cleaned.message is not None
    assert cleaned.message.caption == "photo \ufffd"
    assert cleaned.message.reply_to_message is not None
    assert cleaned.message.reply_to_message.text == "bot \ufffd"
    assert cleaned.message.from_user is not None
    assert cleaned.message.from_user.first_name == "Jo\ufffd"
    assert cleaned.message.chat.title == "PLP \ufffd"
    assert cleaned.message.api_kwargs == {"some_future_field\ufffd": "x\ufffd"}
    assert cleaned.get_bot() is update.get_bot()
    cleaned.to_json().encode("utf-8")  # nothing left that cannot be encoded


def test_callback_data_is_cleaned() -> None:
    api = FakeBotAPI()
    update = update_of(api.callback_update(5, "topic:\udcee"))
    cleaned = clean_update(update, update.get_bot())
    assert cleaned.callback_query is not None
    assert cleaned.callback_query.data == "topic:\ufffd"


def test_entity_texts_never_fail_on_a_forged_entity() -> None:
    entities = [
        MessageEntity(MessageEntity.MENTION, 3, 4),  # right
        MessageEntity(MessageEntity.MENTION, 1, 3),  # starts inside the bicycle's surrogate pair
        MessageEntity(MessageEntity.MENTION, 50, 4),  # past the end
        MessageEntity(MessageEntity.HASHTAG, 3, 4),  # another type
    ]
    texts = entity_texts("🚲 @bot", entities, MessageEntity.MENTION)
    assert texts == ["@bot", "\ufffd @", ""]
