"""The Telegram preview of a draft: the bot's own renderer and splitting, everything escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.base.i18n import Translator
from bot.base.languages import LANGUAGES
from bot.base.turns import Button, Reply
from bot.catalog.topics import Catalog
from bot.channels.telegram.preview import PreviewMessage, preview_reply, preview_topic
from bot.channels.telegram.text import MAX_MESSAGE, size
from bot.dialogue.replies import topic_answer
from bot.editorial.form import SourceItem, TopicForm, form_from_yaml
from bot.editorial.preview import draft_topic
from tests.helpers.editorial import edited
from tests.helpers.project import project_path

SCRIPT = '<script>alert("x")</script><b onclick=x>&amp;'


class Markup(HTMLParser):
    """The tags and link targets of Telegram HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def markup(messages: list[PreviewMessage]) -> Markup:
    parser = Markup()
    for message in messages:
        parser.feed(message.html)
    return parser


@pytest.fixture
def keys() -> TopicForm:
    path = project_path("content", "topics", "burglary.keys.yml")
    return form_from_yaml(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator(LANGUAGES)


def test_a_published_topic_previews_as_the_bot_sends_it(
    keys: TopicForm, catalog: Catalog, translator: Translator
) -> None:
    gettext = translator.gettext("fr")
    topic = catalog.topics["burglary.keys"]
    [message] = preview_topic(draft_topic(keys), catalog, "fr", gettext)
    reply = topic_answer(topic, catalog, "fr", gettext)
    assert message.html == reply.text
    assert message.buttons == (
        ("En savoir plus",),
        ("→ Portes et serrures",),
        ("→ Voisins et contrôle social",),
        ("→ Avant de partir en vacances",),
        ("👍 Utile", "👎 Pas utile"),
        ("Menu des sujets",),
    )
    [more] = preview_topic(draft_topic(keys), catalog, "nl", translator.gettext("nl"), more=True)
    assert more.html.startswith("<b>Sleutels veilig bewaren</b>\n\nGaat u op vakantie?")


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_typed_in_any_field_comes_out_escaped(
    language: str, keys: TopicForm, catalog: Catalog, translator: Translator
) -> None:
    form = edited(
        keys,
        language,
        title=SCRIPT,
        answer=f"{SCRIPT}\n\n{keys.text(language).answer}",
        more=SCRIPT,
        sources=(
            SourceItem('https://www.police.be/"><script>alert(1)</script>'),
            SourceItem("javascript:alert(1)"),
            SourceItem("https://www.police.be/a?b=1&c=<i>"),
            *keys.text(language).sources,
        ),
        terms=(SCRIPT,),
    )
    gettext = translator.gettext(language)
    topic = draft_topic(form)
    messages = [
        *preview_topic(topic, catalog, language, gettext),
        *preview_topic(topic, catalog, language, gettext, more=True),
    ]
    found = markup(messages)
    assert found.tags <= {"b", "a"}
    assert found.attributes <= {"href"}
    assert all(href.startswith("https://") and '"' not in href for href in found.hrefs)
    assert all("<script" not in message.html for message in messages)
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" not in messages[0].html
    )  # quote=False
    assert (
        '&lt;script&gt;alert("x")&lt;/script&gt;&lt;b onclick=x&gt;&amp;amp;' in messages[0].html
    )


def test_a_long_answer_is_split_as_telegram_needs(
    keys: TopicForm, catalog: Catalog, translator: Translator
) -> None:
    long_answer = "\n\n".join([keys.text("en").answer] * 40)
    messages = preview_topic(
        draft_topic(edited(keys, "en", answer=long_answer)),
        catalog,
        "en",
        translator.gettext("en"),
    )
    assert len(messages) > 2
    assert all(size(message.html) <= MAX_MESSAGE for message in messages)
    assert [bool(message.buttons) for message in messages] == [False] * (len(messages) - 1) + [
        True
    ]
    assert messages[0].html.startswith("<b>Keeping keys safe</b>")
    assert "Sources:" in "".join(message.html for message in messages[-2:])
    assert messages[-1].html.endswith("dmf20180629_03589660</a>")


def test_a_blank_draft_still_previews(catalog: Catalog, translator: Translator) -> None:
    messages = preview_topic(
        draft_topic(TopicForm("", "plp")), catalog, "de", translator.gettext("de")
    )
    assert messages[-1].buttons  # the keyboard, on a message of its own


def test_buttons_telegram_would_drop_are_not_previewed() -> None:
    reply = Reply(
        "Hi", ((Button("ok", "menu"), Button("too long", "x" * 65)), (Button("  a \n b ", "y"),))
    )
    assert preview_reply(reply) == [PreviewMessage("Hi", (("ok",), ("a b",)))]
