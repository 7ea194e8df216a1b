"""The HTML splitter: every part is valid Telegram HTML under the limit, and nothing is lost."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.base.turns import esc
from bot.channels.telegram.text import MAX_MESSAGE, size, split_html
from tests.helpers.telegram_checks import html_problems, utf16_len, visible_text

TAGS = ("b", "i", "code", "pre", "a")
unicode_text = st.text(st.characters(codec="utf-8"), max_size=120)
long_text = st.tuples(unicode_text, st.integers(1, 40)).map(lambda pair: pair[0] * pair[1])
plain = st.one_of(unicode_text, long_text).map(esc)


def wrap(tag: str, children: list[str], url: str) -> str:
    inner = "".join(children)
    if tag == "a":
        return f'<a href="{html.escape(url, quote=True)}">{inner}</a>'
    return f"<{tag}>{inner}</{tag}>"


documents = st.recursive(
    plain,
    lambda children: st.builds(
        wrap, st.sampled_from(TAGS), st.lists(children, max_size=4), st.text(max_size=60)
    ),
    max_leaves=12,
).map(lambda doc: doc)
# Joined fragments, as the core builds an answer: title, text, sources.
replies_like = st.lists(documents, min_size=1, max_size=4).map("\n\n".join)


def squeeze(text: str) -> str:
    return "".join(text.split())


@settings(deadline=None)
@given(replies_like, st.integers(16, 400))
def test_parts_are_valid_html_under_the_limit_and_keep_the_text(text: str, limit: int) -> None:
    parts = split_html(text, limit)
    for part in parts:
        assert size(part) <= limit
        assert html_problems(part) == [], part
        assert visible_text(part).strip()
    assert squeeze("".join(visible_text(part) for part in parts)) == squeeze(visible_text(text))


@settings(deadline=None)
@given(replies_like)
def test_telegram_limit(text: str) -> None:
    for part in split_html(text):
        assert utf16_len(part) <= MAX_MESSAGE
        assert html_problems(part) == []


def test_a_short_text_is_one_part_unchanged() -> None:
    text = "<b>Title</b>\n\nSome &amp; text"
    assert split_html(text) == [text]
    assert split_html("   ") == []
    assert split_html("<b> </b>") == []


def test_entities_are_never_cut() -> None:
    parts = split_html("&amp;" * 2000)
    assert len(parts) == 3
    assert all(part.endswith("&amp;") and part.startswith("&amp;") for part in parts)


def test_cuts_prefer_line_breaks_then_spaces() -> None:
    paragraph = "word " * 150
    parts = split_html(f"{paragraph}\n{paragraph}", 1000)
    assert [part.count("word") for part in parts] == [150, 150]
    parts = split_html("word " * 300, 1000)
    assert all(not part.startswith(" ") and not part.endswith(" ") for part in parts)
    assert all(chunk == "word" for part in parts for chunk in part.split(" "))


def test_open_tags_are_closed_and_reopened_at_a_cut() -> None:
    parts = split_html("<b>" + "bold " * 100 + "</b> plain", 120)
    assert all(part.startswith("<b>") for part in parts[:-1])
    assert all(html_problems(part) == [] for part in parts)


def test_astral_characters_count_twice() -> None:
    parts = split_html("🚨" * 3000)
    assert [utf16_len(part) for part in parts] == [4096, 1904]


def test_unbalanced_input_still_gives_balanced_parts() -> None:
    for text in ("<b>open " * 200, "close</b> " * 200, "<b><i>x</b></i> " * 150):
        assert all(html_problems(part) == [] for part in split_html(text, 200))


@given(st.text())
def test_size_counts_utf16_code_units(text: str) -> None:
    assert size(text) == utf16_len(text)
