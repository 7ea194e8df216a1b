"""What Telegram accepts: message length, HTML markup, inline keyboards."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any, Final

from tests.helpers.fake_bot_api import Call

ALLOWED_TAGS: Final = frozenset({"b", "i", "a", "pre", "code"})
MAX_TEXT: Final = 4096
MAX_CALLBACK_BYTES: Final = 64
# Telegram knows these named entities only, plus numeric ones.
_BAD_ENTITY: Final = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
_TAG: Final = re.compile(r"</?[a-zA-Z][^<>]*>")


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> not allowed")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.visible.append(data)


def utf16_len(text: str) -> int:
    """Telegram's length: UTF-16 code units (a lone surrogate, possible in forged JSON, is one)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def html_problems(text: str) -> list[str]:
    """Why Telegram would reject this HTML (empty list: it is fine)."""
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    problems = list(checker.problems)
    if checker.stack:
        problems.append(f"unclosed {checker.stack}")
    if _BAD_ENTITY.search(text):
        problems.append("a bare & that is not an entity")
    outside_tags = _TAG.sub("", text)
    if "<" in outside_tags or ">" in outside_tags:
        problems.append("a bare < or >")
    return problems


def visible_text(text: str) -> str:
    """The text a user sees (tags removed, entities decoded)."""
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    return "".join(checker.visible)


def message_problems(call: Call) -> list[str]:
    """Why Telegram would reject this sendMessage/editMessageText call."""
    params: dict[str, Any] = call.params
    text = str(params.get("text", ""))
    problems = html_problems(text)
    if not 1 <= utf16_len(text) <= MAX_TEXT:
        problems.append(f"text length {utf16_len(text)}")
    if not visible_text(text).strip():
        problems.append("empty text")
    markup = params.get("reply_markup") or {"inline_keyboard": []}
    for row in markup["inline_keyboard"]:
        if not row:
            problems.append("empty keyboard row")
        for button in row:
            if not button["text"].strip():
                problems.append("empty button label")
            if not 1 <= len(button["callback_data"].encode()) <= MAX_CALLBACK_BYTES:
                problems.append(f"callback data {button['callback_data']!r}")
    return problems


def call_problems(call: Call) -> list[str]:
    """Why Telegram would reject this call (only what the bot may call while answering)."""
    params: dict[str, Any] = call.params
    if call.method in ("sendMessage", "editMessageText"):
        problems = message_problems(call)
        if not isinstance(params.get("chat_id"), int):
            problems.append(f"chat_id {params.get('chat_id')!r}")
        return problems
    if call.method == "answerCallbackQuery":
        query_id = params.get("callback_query_id")
        return [] if isinstance(query_id, str) and query_id else [f"query id {query_id!r}"]
    if call.method == "getChatMember":
        ids = (params.get("chat_id"), params.get("user_id"))
        return [] if all(isinstance(i, int) for i in ids) else [f"ids {ids!r}"]
    return [f"unexpected method {call.method}"]
