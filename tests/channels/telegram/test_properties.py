"""Random input at the adapter: nothing escapes, and everything sent is valid for Telegram.

Hand-built updates go through Application.process_update; the bot talks to the fake server.
Examples are derandomized: every run tries the same ones (change a test to try others).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.base.settings import Settings
from bot.channels.telegram.app import TelegramApplication
from tests.helpers.fake_bot_api import BOT_USERNAME, Call, FakeBotAPI
from tests.helpers.telegram_bot import fast_limiter
from tests.helpers.telegram_checks import call_problems
from tests.helpers.telegram_updates import CHAT_TYPES, KINDS, Case, Expect, hostile_text

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHATS = st.sampled_from([201, 202, 203, -2001])  # a few private chats and a group
LANGUAGE_CODES = st.one_of(
    st.none(), st.sampled_from(["fr", "nl-BE", "de", "en", "es", "zh-hans"])
)
# Any code point, lone UTF-16 surrogates often (forged JSON can carry them).
unicode_text = hostile_text(0, 300)
long_text = st.tuples(
    st.text(st.characters(codec="utf-8"), min_size=1), st.integers(4000, 5000)
).map(lambda pair: (pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]])
command_text = st.tuples(
    st.sampled_from(["start", "help", "menu", "language", "subscribe", "unsubscribe", "mydata",
                     "forget", "about", "reload", "announce", "x", f"menu@{BOT_USERNAME}"]),
    unicode_text,
).map(lambda pair: f"/{pair[0]} {pair[1]}")  # fmt: skip
callback_data = st.one_of(
    st.text(max_size=80),
    st.tuples(
        st.sampled_from(["topic:", "more:", "group:", "vote:", "lang:", "forget:", "sub:",
                         "unsub:", "subpick:", "admin:", "menu", ""]),
        st.text(max_size=40),
    ).map("".join),
)  # fmt: skip


@pytest.fixture
async def application(
    tg_settings: Settings, api: FakeBotAPI, make_app: Callable[..., TelegramApplication]
) -> AsyncIterator[TelegramApplication]:
    """Initialized (getMe, services, command menus) but not polling: updates are fed by hand."""
    app = make_app(tg_settings, rate_limiter=fast_limiter())
    await app.initialize()
    assert app.post_init is not None
    assert app.post_shutdown is not None
    await app.post_init(app)
    yield app
    await app.shutdown()
    await app.post_shutdown(app)


async def feed(
    app: TelegramApplication, api: FakeBotAPI, caplog: pytest.LogCaptureFixture, update: Any
) -> list[Call]:
    """Process one update; assert no error was logged and every call is valid; the calls."""
    before = len(api.calls)
    caplog.clear()
    await app.process_update(Update.de_json({"update_id": 1, **update}, app.bot))
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == []
    calls = [call for call in api.calls[before:] if call.method != "getUpdates"]
    for call in calls:
        assert call_problems(call) == [], call
    return calls


def check(case: Case, calls: list[Call]) -> None:
    """The bot did what the case expects: answered, kept silent, or answered the button."""
    if case.expect is Expect.SILENCE:
        assert calls == []
    elif case.expect is Expect.ANY:
        pass
    elif case.expect is Expect.ANSWER:
        chats = [call.params["chat_id"] for call in calls if call.method == "sendMessage"]
        assert chats
        assert set(chats) == {case.chat_id}
    else:
        query_id = case.update["callback_query"]["id"]
        answers = [call for call in calls if call.method == "answerCallbackQuery"]
        assert [call.params["callback_query_id"] for call in answers] == [query_id]


async def check_text(
    app: TelegramApplication,
    api: FakeBotAPI,
    caplog: pytest.LogCaptureFixture,
    chat: int,
    text: str,
    code: str | None,
) -> None:
    """One text from user 301; in a group it mentions the bot unless it is a command."""
    text = text or " "
    mention = chat < 0 and not text.startswith("/")
    if mention:
        text = f"@{BOT_USERNAME} {text}"
    update = api.text_update(chat, text, user_id=301, language_code=code)
    if mention:
        length = len(BOT_USERNAME) + 1
        update["message"]["entities"] = [{"type": "mention", "offset": 0, "length": length}]
    before = len(api.calls_of("sendMessage"))
    await feed(app, api, caplog, update)
    if chat > 0 or mention:
        assert len(api.calls_of("sendMessage")) > before  # always an answer


@PROPERTY_SETTINGS
@given(chat=CHATS, text=st.one_of(unicode_text, command_text), code=LANGUAGE_CODES)
@example(chat=201, text="un cambrioleur \udcee chez moi \ud83d", code="fr")
@example(chat=-2001, text="<b>&amp; </i> \u202e", code="xx")
async def test_random_texts(
    application: TelegramApplication,
    api: FakeBotAPI,
    caplog: pytest.LogCaptureFixture,
    chat: int,
    text: str,
    code: str | None,
) -> None:
    await check_text(application, api, caplog, chat, text, code)


# Few examples: the NLU takes seconds on a 4,096-character text.
@settings(PROPERTY_SETTINGS, max_examples=2)
@given(chat=CHATS, text=long_text, code=LANGUAGE_CODES)
async def test_very_long_texts(
    application: TelegramApplication,
    api: FakeBotAPI,
    caplog: pytest.LogCaptureFixture,
    chat: int,
    text: str,
    code: str | None,
) -> None:
    await check_text(application, api, caplog, chat, text, code)


@PROPERTY_SETTINGS
@given(chat=CHATS, data=callback_data, code=LANGUAGE_CODES)
async def test_random_callback_data(
    application: TelegramApplication,
    api: FakeBotAPI,
    caplog: pytest.LogCaptureFixture,
    chat: int,
    data: str,
    code: str | None,
) -> None:
    api.chat_members[(-2001, 302)] = "administrator"
    answered = len(api.calls_of("answerCallbackQuery"))
    await feed(
        application, api, caplog, api.callback_update(chat, data, user_id=302, language_code=code)
    )
    assert len(api.calls_of("answerCallbackQuery")) == answered + 1


NON_TEXT = st.sampled_from(
    [
        {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                     "is_animated": False, "is_video": False, "type": "regular"}},
        {"location": {"latitude": 50.85, "longitude": 4.35}},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
        {"dice": {"emoji": "🎲", "value": 3}},
        {"new_chat_members": [{"id": 5, "is_bot": False, "first_name": "N"}]},
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
         "caption": "<b>is this lock good?</b>"},
    ]
)  # fmt: skip


@PROPERTY_SETTINGS
@given(chat=CHATS, content=NON_TEXT, code=LANGUAGE_CODES)
async def test_random_non_text(
    application: TelegramApplication,
    api: FakeBotAPI,
    caplog: pytest.LogCaptureFixture,
    chat: int,
    content: dict[str, Any],
    code: str | None,
) -> None:
    message = api.message(chat, user_id=303, language_code=code, **content)
    await feed(application, api, caplog, {"message": message})


# Every kind of update, in private chats, basic groups and supergroups (bot/telegram_updates.py
# makes their text valid first: the random text below often carries lone surrogates).
@settings(PROPERTY_SETTINGS, max_examples=60)
@given(data=st.data())
@pytest.mark.parametrize("chat_type", CHAT_TYPES)
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
async def test_every_kind_of_update(
    application: TelegramApplication,
    api: FakeBotAPI,
    caplog: pytest.LogCaptureFixture,
    kind: Callable[[FakeBotAPI, str], st.SearchStrategy[Case]],
    chat_type: str,
    data: st.DataObject,
) -> None:
    case = data.draw(kind(api, chat_type), label="case")
    check(case, await feed(application, api, caplog, case.update))
