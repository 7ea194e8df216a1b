"""Random updates of every kind the bot may receive, each with what the bot must do about it.

Each kind is a strategy `kind(api, chat_type)` built on the fake server's update builders (so
a test draws it with `st.data()`), for private chats, basic groups and supergroups, with any code
point in every free text (names and titles included), lone UTF-16 surrogates often: forged JSON
can carry them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Final

from hypothesis import strategies as st

from bot.dialogue.replies import (
    CB_FORGET,
    CB_GROUP,
    CB_LANGUAGE,
    CB_MENU,
    CB_MORE,
    CB_TOPIC,
    CB_VOTE,
)
from bot.reminders.subscriptions import CB_SUBSCRIBE, CB_UNSUBSCRIBE
from tests.helpers.fake_bot_api import BOT_USERNAME, FakeBotAPI
from tests.helpers.telegram_checks import utf16_len


class Expect(enum.Enum):
    """What the bot must do with an update."""

    ANSWER = "at least one message to the chat"
    SILENCE = "no call at all"
    ACKNOWLEDGE = "exactly one answerCallbackQuery for the query (and maybe messages)"
    ANY = "anything, as long as every call is valid"


@dataclass(frozen=True, slots=True)
class Case:
    """One update (its JSON, without update_id) and what the bot must do with it."""

    update: dict[str, Any]
    expect: Expect
    chat_id: int


PRIVATE, GROUP, SUPERGROUP = "private", "group", "supergroup"
CHAT_TYPES: Final = (PRIVATE, GROUP, SUPERGROUP)
# What the flows of bot/app.py declare (tests/channels/telegram checks it against the registry).
KNOWN_COMMANDS: Final = frozenset(
    {"start", "help", "menu", "language", "about", "mydata", "forget", "reload", "announce"}
    | {"subscribe", "unsubscribe"}
    | {"signin"}
)
ME_SPELLINGS: Final = (BOT_USERNAME, BOT_USERNAME.upper(), "Preventbot_Test_BOT")
PREFIXES: Final = (CB_LANGUAGE, CB_TOPIC, CB_MORE, CB_MENU, CB_GROUP, CB_VOTE, CB_FORGET,
                   CB_SUBSCRIBE, CB_UNSUBSCRIBE, "subpick:", "admin:", "")  # fmt: skip
PHOTO: Final = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]


def hostile_text(min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    """Any code point, and often a lone UTF-16 surrogate.

    `st.text(st.characters(exclude_categories=()))` almost never draws one (2,048 code points
    of 1.1 million), and `st.text` merges a `one_of` of characters into one range: a list of
    characters keeps the weights.
    """
    any_char = st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs"]))
    return st.lists(any_char, min_size=min_size, max_size=max_size).map("".join)


any_text = hostile_text()
names = hostile_text(1, 30)
language_codes = st.one_of(
    st.none(), st.sampled_from(["fr", "nl-BE", "de", "en", "es", "zh-hans"]), hostile_text(0, 10)
)
# A command name: a known one, or anything without a space or "@" (those end the command).
command_names = st.one_of(
    st.sampled_from(sorted(KNOWN_COMMANDS)),
    hostile_text(1, 12).filter(lambda name: "@" not in name and name.split() == [name]),
)


class Addressing(enum.Enum):
    """How a group message may (or may not) be meant for the bot."""

    NONE = "nothing"
    MENTION = "mentions the bot"
    OTHER_MENTION = "mentions someone else"
    REPLY = "replies to the bot"
    OTHER_REPLY = "replies to someone else"

    @property
    def addressed(self) -> bool:
        """True if the message is meant for the bot."""
        return self in (Addressing.MENTION, Addressing.REPLY)


@st.composite
def chats(
    draw: st.DrawFn, api: FakeBotAPI, chat_type: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A chat of this type with a random title, and a sender with random names."""
    user_id = draw(st.integers(1_000, 1_999))
    chat_id = {
        PRIVATE: user_id,
        GROUP: -draw(st.integers(2_000, 2_009)),
        SUPERGROUP: -1_000_000_000_000 - draw(st.integers(0, 9)),
    }[chat_type]
    chat = api.chat(chat_id, chat_type)
    if chat_type == PRIVATE:
        chat["first_name"] = draw(names)
    else:
        chat["title"] = draw(names)
    user = api.user(user_id, draw(language_codes))
    user["first_name"] = draw(names)
    if draw(st.booleans()):
        user["username"] = draw(names)
    return chat, user


def message_in(api: FakeBotAPI, chat: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """A message skeleton (no content yet) sent by `user` in `chat`."""
    return {**api.message(chat["id"]), "chat": chat, "from": user}


@st.composite
def addressed(
    draw: st.DrawFn, api: FakeBotAPI, chat: dict[str, Any], text: str
) -> tuple[str, list[dict[str, Any]], dict[str, Any], Addressing]:
    """`text`, maybe with a mention inside or a reply: (text, entities, extra fields, how)."""
    how = draw(st.sampled_from(Addressing))
    entities: list[dict[str, Any]] = []
    extra: dict[str, Any] = {}
    if how in (Addressing.MENTION, Addressing.OTHER_MENTION):
        name = draw(st.sampled_from(ME_SPELLINGS)) if how.addressed else "someone_else_bot"
        cut = draw(st.integers(0, len(text)))
        mention = f"@{name}"
        entities.append({"type": "mention", "offset": utf16_len(text[:cut]),
                         "length": len(mention)})  # fmt: skip
        text = f"{text[:cut]}{mention}{text[cut:]}"
    elif how is Addressing.REPLY:
        extra["reply_to_message"] = api.bot_message(
            chat["id"], draw(names), chat_type=chat["type"]
        )
    elif how is Addressing.OTHER_REPLY:
        extra["reply_to_message"] = api.message(chat["id"], text=draw(names), user_id=1)
        extra["reply_to_message"]["chat"] = chat
    return text, entities, extra, how


def expect(chat: dict[str, Any], meant_for_the_bot: bool) -> Expect:
    """Private chats are always answered; groups only when the message is meant for the bot."""
    return Expect.ANSWER if chat["type"] == PRIVATE or meant_for_the_bot else Expect.SILENCE


@st.composite
def texts(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """A new text message: a question, a mention, a reply, or group chatter."""
    chat, user = draw(chats(api, chat_type))
    raw = draw(hostile_text(1))
    text, entities, extra, how = draw(addressed(api, chat, raw))
    message = {**message_in(api, chat, user), "text": text, **extra}
    if entities:
        message["entities"] = entities
    return Case({"message": message}, expect(chat, how.addressed), chat["id"])


@st.composite
def commands(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """/command, /command@this_bot or /command@another_bot, with any arguments."""
    chat, user = draw(chats(api, chat_type))
    name = draw(command_names)
    suffix = draw(st.sampled_from(["", *(f"@{me}" for me in ME_SPELLINGS), "@another_bot"]))
    arguments = draw(st.one_of(st.just(""), any_text.map(lambda text: f" {text}")))
    command = f"/{name}{suffix}"
    entity = {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
    message = {
        **message_in(api, chat, user),
        "text": command + arguments,
        "entities": [entity],
    }
    for_me = suffix.lower() == f"@{BOT_USERNAME}".lower()
    known = not suffix and name.lower() in KNOWN_COMMANDS
    return Case({"message": message}, expect(chat, for_me or known), chat["id"])


entity_types = st.sampled_from(["mention", "bot_command", "hashtag", "bold", "url"])


@st.composite
def forged_entities(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """A text whose entities are anywhere: out of range, across a character, a command at 0."""
    chat, user = draw(chats(api, chat_type))
    text = draw(st.one_of(hostile_text(1), st.sampled_from([" ", "/", "@", "🚲", "/ x"])))
    bound = utf16_len(text) + 2
    entity = st.fixed_dictionaries(
        {"type": entity_types, "offset": st.integers(0, bound), "length": st.integers(0, bound)}
    )
    entities = draw(st.lists(entity, min_size=1, max_size=4))
    if draw(st.booleans()):
        entities[0].update(type="bot_command", offset=0)  # what makes it a command for PTB
    message = {**message_in(api, chat, user), "text": text, "entities": entities}
    # Every private text is answered; in a group it depends on which entity wins.
    how = Expect.ANSWER if chat_type == PRIVATE else Expect.ANY
    return Case({"message": message}, how, chat["id"])


MEDIA: Final = (
    {"photo": PHOTO},
    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
    {"document": {"file_id": "d", "file_unique_id": "d"}},
)
UNCAPTIONED: Final = (
    {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                 "is_animated": False, "is_video": False, "type": "regular"}},
    {"location": {"latitude": 50.85, "longitude": 4.35}},
    {"dice": {"emoji": "🎲", "value": 3}},
)  # fmt: skip


@st.composite
def media(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """Anything but text: a photo (voice, document) with a caption that may mention the bot,
    a sticker, a location..., each maybe a reply."""
    chat, user = draw(chats(api, chat_type))
    message = message_in(api, chat, user)
    if draw(st.booleans()):
        message.update(draw(st.sampled_from(MEDIA)))
        caption, entities, extra, how = draw(addressed(api, chat, draw(any_text)))
        message.update(extra)
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
    else:
        message.update(draw(st.sampled_from(UNCAPTIONED)))
        _, _, extra, how = draw(addressed(api, chat, ""))
        if how in (Addressing.MENTION, Addressing.OTHER_MENTION):
            how = Addressing.NONE  # nothing to put a mention in
        message.update(extra)
    return Case({"message": message}, expect(chat, how.addressed), chat["id"])


@st.composite
def service_messages(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """Members coming and going, a new title, a pinned message: never answered."""
    chat, user = draw(chats(api, chat_type))
    member = {**api.user(draw(st.integers(3_000, 3_999))), "first_name": draw(names)}
    content = draw(
        st.one_of(
            st.just({"new_chat_members": [member]}),
            st.just({"left_chat_member": member}),
            names.map(lambda title: {"new_chat_title": title}),
            names.map(lambda text: {"pinned_message": api.bot_message(chat["id"], text)}),
        )
    )
    return Case(
        {"message": {**message_in(api, chat, user), **content}}, Expect.SILENCE, chat["id"]
    )


@st.composite
def edits(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """An edited message or caption, or a channel post: never answered (again)."""
    case = draw(st.one_of(texts(api, chat_type), commands(api, chat_type), media(api, chat_type)))
    message = {**case.update["message"], "edit_date": int(case.update["message"]["date"]) + 1}
    kind = draw(st.sampled_from(["edited_message", "channel_post", "edited_channel_post"]))
    if kind != "edited_message":
        message["chat"] = {"id": -1_000_000_000_100, "type": "channel", "title": draw(names)}
        message.pop("from")
        if kind == "channel_post":
            message.pop("edit_date")
    return Case({kind: message}, Expect.SILENCE, message["chat"]["id"])


STATUSES: Final = ("member", "administrator", "left", "kicked", "creator")


@st.composite
def membership_changes(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """The bot blocked, unblocked, added to, removed from or promoted in a chat: no answer."""
    chat, user = draw(chats(api, chat_type))
    old, new = draw(st.sampled_from(STATUSES)), draw(st.sampled_from(STATUSES))
    change = {
        "chat": chat,
        "from": user,
        "date": 1,
        "old_chat_member": api.chat_member(api.bot_user, old),
        "new_chat_member": api.chat_member(api.bot_user, new),
    }
    return Case({"my_chat_member": change}, Expect.SILENCE, chat["id"])


callback_data = st.one_of(
    st.none(),
    st.just(""),
    hostile_text(0, 64),
    st.tuples(st.sampled_from(PREFIXES), hostile_text(0, 40)).map("".join),
)


@st.composite
def presses(draw: st.DrawFn, api: FakeBotAPI, chat_type: str) -> Case:
    """A button press of any shape: any data or none, a game, an old or an inline message."""
    chat, user = draw(chats(api, chat_type))
    query: dict[str, Any] = {
        "id": str(draw(st.integers(1, 10**12))),
        "from": user,
        "chat_instance": draw(names),
    }
    data = draw(callback_data)
    if data is not None:
        query["data"] = data
    if draw(st.booleans()):
        query["game_short_name"] = draw(names)
    where = draw(st.sampled_from(["message", "inaccessible message", "inline message"]))
    if where == "message":
        query["message"] = api.bot_message(chat["id"], draw(names))
        query["message"]["chat"] = chat
    elif where == "inaccessible message":
        query["message"] = {"chat": chat, "message_id": 1, "date": 0}
    else:
        query["inline_message_id"] = draw(names)
    return Case({"callback_query": query}, Expect.ACKNOWLEDGE, chat["id"])


KINDS: Final = (
    texts,
    commands,
    forged_entities,
    media,
    service_messages,
    edits,
    membership_changes,
    presses,
)
