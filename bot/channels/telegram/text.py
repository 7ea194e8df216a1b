"""Split Telegram HTML into messages under the 4096-character limit without breaking markup.

Telegram counts UTF-16 code units after parsing the HTML; counting the raw HTML the same way is
stricter (tags and entities count too), so every chunk is safe. A chunk never cuts a tag or an
entity such as `&amp;`; tags open at a cut are closed at the end of the chunk and opened again at
the start of the next one. Cuts prefer a line break, then a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

MAX_MESSAGE: Final = 4096
MIN_LIMIT: Final = 16
_TOKEN: Final = re.compile(r"<[^<>]*>|&#?[0-9A-Za-z]+;|[^<&]+|[<&]")
_TAG: Final = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_VISIBLE: Final = re.compile(r"<[^<>]*>")


def size(text: str) -> int:
    """Length in UTF-16 code units, the way Telegram counts."""
    if text.isascii():
        return len(text)
    # Note: "surrogatepass" so that even a lone surrogate counts as the one unit it is.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(slots=True)
class _Splitter:
    limit: int
    chunks: list[str] = field(default_factory=list)
    stack: list[tuple[str, str]] = field(default_factory=list)  # (name, opening tag)
    current: list[str] = field(default_factory=list)
    used: int = 0
    reopened: int = 0  # size of the tags opened again at the start of the current chunk

    def closing(self) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(self.stack))

    def room(self) -> int:
        return self.limit - self.used - size(self.closing())

    def add(self, text: str) -> None:
        self.current.append(text)
        self.used += size(text)

    def flush(self) -> None:
        body = "".join(self.current).rstrip() + self.closing()
        if _VISIBLE.sub("", body).strip():
            self.chunks.append(body)
        self.current, self.used = [], 0
        reopen = "".join(opening for _, opening in self.stack)
        if size(reopen) + size(self.closing()) > self.limit // 2:
            # Pathological markup (huge attributes): drop the formatting rather than loop.
            self.stack.clear()
        else:
            self.add(reopen)
        self.reopened = self.used

    def tag(self, token: str, closing: bool, name: str) -> None:
        if closing:
            # A closing tag that does not match the innermost open one is dropped: the output
            # stays balanced even when the input is not.
            if self.stack and self.stack[-1][0] == name:
                self.stack.pop()
                self.add(token)
            return
        if size(token) + size(f"</{name}>") > self.room():
            self.flush()
        if size(token) + size(f"</{name}>") > self.room():
            return  # an opening tag that cannot fit anywhere is left out
        self.add(token)
        self.stack.append((name, token))

    def atom(self, token: str) -> None:
        if size(token) > self.room():
            self.flush()
        self.add(token)

    def fresh(self) -> bool:
        return self.used == self.reopened

    def text(self, text: str) -> None:
        while text:
            if self.fresh():
                text = text.lstrip()  # no chunk starts with the blank left by a cut
                if not text:
                    return
            room = self.room()
            if len(text) <= room and size(text) <= room:  # len() first: it is a lower bound
                self.add(text)
                return
            cut = _cut(text, room)
            if cut == 0:
                if not self.fresh():
                    self.flush()  # cut between tokens rather than inside a word
                    continue
                cut = max(1, _fit(text, room))  # one unbreakable word longer than a message
            self.add(text[:cut].rstrip())
            text = text[cut:].lstrip()
            self.flush()


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut `text` into well-formed HTML chunks of at most `limit` UTF-16 code units each."""
    if limit < MIN_LIMIT:
        raise ValueError(f"limit must be at least {MIN_LIMIT}")
    if size(text) <= limit:
        return [text] if _VISIBLE.sub("", text).strip() else []
    splitter = _Splitter(limit)
    for token in _TOKEN.findall(text):
        match = _TAG.fullmatch(token)
        if match and not match[3]:
            splitter.tag(token, bool(match[1]), match[2].lower())
        elif token.startswith(("<", "&")):
            splitter.atom(token)
        else:
            splitter.text(token)
    splitter.flush()
    return splitter.chunks


def message_texts(text: str, has_keyboard: bool) -> list[str]:
    """The texts of the messages that carry one reply: `text` split; "…" for a lone keyboard."""
    return split_html(text) or (["…"] if has_keyboard else [])


def _fit(text: str, room: int) -> int:
    """The largest prefix length of `text` whose UTF-16 size is at most `room`."""
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > room:
            return index
    return len(text)


def _cut(text: str, room: int) -> int:
    """Where to cut `text` to fill at most `room`: a line break, else a space; 0 if neither."""
    end = _fit(text, room)
    for separator in ("\n", " "):
        position = text.rfind(separator, 0, end + 1)
        if position > end // 2:
            return position
    return 0
