"""Every update is made valid Unicode first; button presses without data reach the catch-all."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot, MessageEntity, Update

from bot.channels.telegram.io import entity_texts
from bot.channels.telegram.updates import clean, clean_json, clean_update, has_invalid_unicode
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


def strings_of(value: Any) -> list[tuple[Any, ...]]:
    """The path to every string of decoded JSON, keys included (a key's path ends in "KEY")."""
    if isinstance(value, str):
        return [()]
    if isinstance(value, dict):
        paths: list[tuple[Any, ...]] = []
        for key, item in value.items():
            paths.append((key, "KEY"))
            paths += [(key, *rest) for rest in strings_of(item)]
        return paths
    if isinstance(value, list):
        return [(index, *rest) for index, item in enumerate(value) for rest in strings_of(item)]
    return []


def spoil(value: Any, path: tuple[Any, ...]) -> Any:
    """A copy of decoded JSON with a lone surrogate appended to the string at `path`."""
    if not path:
        return value + "\udcee"
    head, *rest = path
    if rest == ["KEY"]:
        return {(key + "\udcee" if key == head else key): item for key, item in value.items()}
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[head] = spoil(value[head], tuple(rest))
    return copy


def rich_message() -> dict[str, Any]:
    """A message with nested objects, lists of objects and a field PTB does not know."""
    api = FakeBotAPI()
    message = api.message(-5, caption="photo 🚲", reply_to_message=api.message(-5, text="bot"))
    message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    message["caption_entities"] = [{"type": "bold", "offset": 0, "length": 5}]
    message["some_future_field"] = {"nested": ["x"]}
    return message


def spoilable(path: tuple[Any, ...]) -> bool:
    """Every string value; of keys, those PTB can lose (a spoiled required key breaks parsing)."""
    return path[-1] != "KEY" or "some_future_field" in path or path == ("caption", "KEY")


@pytest.mark.parametrize("path", [p for p in strings_of(rich_message()) if spoilable(p)], ids=str)
def test_a_lone_surrogate_is_found_in_any_string(path: tuple[Any, ...]) -> None:
    clean_one = update_of({"message": rich_message()})
    spoiled = update_of({"message": spoil(rich_message(), path)})
    assert not has_invalid_unicode(clean_one)
    assert has_invalid_unicode(spoiled)
    cleaned = clean_update(spoiled, spoiled.get_bot())
    assert not has_invalid_unicode(cleaned)
    cleaned.to_json().encode("utf-8")


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


def test_an_object_of_one_attribute_is_walked() -> None:
    api = FakeBotAPI()
    message = api.message(-5, text="hi")
    message["forum_topic_closed"] = {"note": "z\udcee"}  # no field of its own but api_kwargs
    assert has_invalid_unicode(update_of({"message": message}))


def test_objects_of_a_few_attributes_are_walked() -> None:
    api = FakeBotAPI()
    message = api.message(-5, text="hi")
    message["web_app_data"] = {"data": "x\udcee", "button_text": "ok"}
    message["write_access_allowed"] = {"web_app_name": "y\ud83d"}
    update = update_of({"message": message})
    assert has_invalid_unicode(update)
    cleaned = clean_update(update, update.get_bot())
    assert cleaned.message is not None
    assert cleaned.message.web_app_data is not None
    assert cleaned.message.web_app_data.data == "x\ufffd"
    assert not has_invalid_unicode(cleaned)
