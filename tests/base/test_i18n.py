"""Interface catalogs: every string the code uses is translated in fr, nl and de."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.base.i18n import LOCALES_DIR, Translator
from tests.helpers.project import project_path


def code_messages() -> set[str]:
    """Every msgid of the code and of the workspace's templates (babel.cfg's two methods)."""
    found = extract_from_dir(
        str(project_path("bot")),
        method_map=[("**.py", "python"), ("web/templates/**.html", "jinja2")],
        options_map={"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "N_": None, "gettext": None},
    )
    return {
        message for _file, _line, message, _comments, _context in found if isinstance(message, str)
    }


def test_the_extractor_finds_the_interface_strings() -> None:
    messages = code_messages()
    assert "Topic menu" in messages
    assert "Skip to the content" in messages  # {{ _("...") }} in a template
    assert "Welcome, %(name)s" in messages  # {% trans %} in a template


def test_babel_cfg_extracts_the_templates_too() -> None:
    config = project_path("babel.cfg").read_text(encoding="utf-8")
    assert "[jinja2: web/templates/**.html]" in config
    assert "extensions = jinja2.ext.i18n" in config


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_interface_string_is_translated(language: str) -> None:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(code_messages() - translated)
    assert missing == [], f"{language}: run `make extract` and translate: {missing[:10]}"


PLACEHOLDERS = (
    *("{language}", "{count}", "{days}", "{date}", "{chat_id}", "{size}"),
    *("%(name)s", "%(role)s", "%(minutes)s", "%(subject)s"),  # {% trans %} in templates
    *("%(shown)s", "%(total)s", "%(days)s", "%(count)s", "%(status)s", "%(topic)s"),
    *("%(moment)s", "%(value)s", "%(low)s", "%(high)s"),
)


def test_translations_keep_their_placeholders() -> None:
    for language in ("fr", "nl", "de"):
        with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and message.string and isinstance(message.id, str):
                for field in PLACEHOLDERS:
                    assert (field in message.id) == (field in message.string), (
                        language,
                        message.id,
                    )


def test_translator_answers_in_each_language_and_formats_dates() -> None:
    translator = Translator(("fr", "nl", "de", "en"))
    assert translator.gettext("fr")("Topic menu") != "Topic menu"
    assert translator.gettext("en")("Topic menu") == "Topic menu"
    assert translator.format_date(date(2026, 11, 25), "nl") == "25 nov 2026"
    assert "nov" in translator.format_date(date(2026, 11, 25), "fr")
