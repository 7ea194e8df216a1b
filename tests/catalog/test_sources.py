"""Source rules: the item schema, trusted and blocked domains, and the language a page is in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.base.languages import ENGLISH_NAMES
from bot.base.settings import Settings
from bot.catalog.sources import url_language
from bot.catalog.topics import LANGUAGES, read_catalog
from bot.cli.content import check
from tests.helpers.content_files import SOURCE_LINE, problems, write_topic


def test_the_fixture_topic_is_clean(tmp_path: Path) -> None:
    write_topic(tmp_path, "    - https://www.police.be/fr/x\n")
    assert problems(tmp_path) == []


def test_a_link_on_an_untrusted_domain_is_reported(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "    - https://www.example.com/fr/cambriolage\n")
    assert problems(tmp_path) == [
        f"{path}:{SOURCE_LINE}: fr.sources: https://www.example.com/fr/cambriolage is not on a "
        "trusted domain (www.example.com); cite an official page, "
        "or mark a press article with press: true"
    ]


def test_a_blocked_domain_is_reported_even_marked_press(tmp_path: Path) -> None:
    write_topic(
        tmp_path,
        "    - url: https://vps.fgov.be/house_fr/alarm.html\n      press: true\n"
        "    - https://besafe.jdbi.eu/fr/plp\n",
    )
    found = problems(tmp_path)
    assert len(found) == 2
    assert (
        f":{SOURCE_LINE}: fr.sources: https://vps.fgov.be/house_fr/alarm.html is on a "
        in (found[0])
    )
    assert "blocked domain (vps.fgov.be" in found[0]
    assert "blocked domain (besafe.jdbi.eu" in found[1]


def test_a_press_article_is_accepted_on_any_domain(tmp_path: Path) -> None:
    write_topic(tmp_path, "    - url: https://www.lesoir.be/fr/article\n      press: true\n")
    assert problems(tmp_path) == []
    source = read_catalog(tmp_path)[0].topics["plp.join"].text("fr").source_items[0]
    assert source.press
    assert source.line == SOURCE_LINE


@pytest.mark.parametrize(
    "url",
    [
        "https://www.police.be/5998/fr/contact",
        "https://mybike.belgium.be/fr",
        "https://belgium.be/fr",
        "https://www.besafe.be/fr/plp",
        "https://www.1joursans.be/",
        "https://be.brussels/fr",
    ],
)
def test_a_trusted_domain_and_its_subdomains_are_accepted(tmp_path: Path, url: str) -> None:
    write_topic(tmp_path, f"    - {url}\n")
    assert problems(tmp_path) == []


@pytest.mark.parametrize(
    "url", ["https://notpolice.be/fr", "https://police.be.example.com/fr", "https://fgov.be.eu/"]
)
def test_a_look_alike_domain_is_not_trusted(tmp_path: Path, url: str) -> None:
    write_topic(tmp_path, f"    - {url}\n")
    assert [p for p in problems(tmp_path) if "not on a trusted domain" in p]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://www.besafe.be/nl/inbraak", "Dutch"),
        ("https://www.police.be/5998/nl-be/contact", "Dutch"),
        ("https://nl.police.be/inbraak", "Dutch"),
        ("https://www.belgium.be/page?language=nl", "Dutch"),
        ("https://www.ejustice.just.fgov.be/cgi_loi/loi.pl?la=N&cn=2007042532", "Dutch"),
        ("https://www.polizei.be/de/einbruch", "German"),
        ("https://www.politie.be/page?lang=en", "English"),
    ],
)
def test_a_page_in_another_language_is_reported(tmp_path: Path, url: str, shown: str) -> None:
    path = write_topic(tmp_path, f"    - {url}\n")
    code = {name: code for code, name in ENGLISH_NAMES.items()}[shown]
    assert problems(tmp_path) == [
        f"{path}:{SOURCE_LINE}: fr.sources: {url} is a {shown} page; "
        f"cite a French page or declare lang: {code}"
    ]


def test_a_declared_page_language_is_accepted(tmp_path: Path) -> None:
    write_topic(
        tmp_path,
        "    - url: https://www.politie.be/nl/inbraak\n      lang: nl\n"
        "    - url: https://www.police.be/5998/guide\n      lang: de\n",
    )
    assert problems(tmp_path) == []
    text = read_catalog(tmp_path)[0].topics["plp.join"].text("fr")
    assert [item.lang for item in text.source_items] == ["nl", "de"]


def test_a_declared_language_that_the_url_contradicts_is_reported(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "    - url: https://www.politie.be/nl/inbraak\n      lang: de\n")
    assert problems(tmp_path) == [
        f"{path}:{SOURCE_LINE}: fr.sources: https://www.politie.be/nl/inbraak is a Dutch page "
        "but declares lang: de"
    ]


def test_bad_source_items_are_reported_with_their_line(tmp_path: Path) -> None:
    path = write_topic(
        tmp_path,
        "    - url: https://www.police.be/fr/a\n      year: 2024\n"
        "    - url: https://www.police.be/fr/b\n      press: maybe\n"
        "    - url: https://www.police.be/fr/c\n      lang: es\n"
        "    - press: true\n"
        "    - [https://www.police.be/fr/d]\n"
        "    - url: http://www.police.be/fr/e\n",
    )
    start = SOURCE_LINE
    assert [p for p in problems(tmp_path) if "fr.sources" in p] == [
        f"{path}:{start + 1}: fr.sources: unknown key 'year' (url, press, lang)",
        f"{path}:{start + 3}: fr.sources: 'press' must be true or false",
        f"{path}:{start + 5}: fr.sources: 'lang' must be one of fr, nl, de, en",
        f"{path}:{start + 6}: fr.sources: an item needs 'url:' with a link",
        f"{path}:{start + 7}: fr.sources: an item is a link or a mapping with url:",
        f"{path}:{start + 8}: fr.sources: bad link 'http://www.police.be/fr/e'",
    ]


def test_sources_must_be_a_non_empty_list(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "      https://www.police.be/fr/a\n")
    assert f"{path}:{SOURCE_LINE}: 'fr.sources' must be a list of links" in problems(tmp_path)


def test_the_answer_still_shows_plain_urls(tmp_path: Path) -> None:
    write_topic(
        tmp_path,
        "    - https://www.police.be/fr/a\n"
        "    - url: https://www.lesoir.be/article\n      press: true\n",
    )
    text = read_catalog(tmp_path)[0].topics["plp.join"].text("fr")
    assert text.sources == ("https://www.police.be/fr/a", "https://www.lesoir.be/article")
    assert [item.press for item in text.source_items] == [False, True]


def test_content_check_uses_the_configured_domains(tmp_path: Path, settings: Settings) -> None:
    write_topic(tmp_path, "    - https://www.example.com/fr/a\n")
    defaults = replace(settings, content_dir=tmp_path)
    assert any("not on a trusted domain" in str(p) for p in check(defaults))
    custom = replace(defaults, trusted_domains=(*defaults.trusted_domains, "example.com"))
    assert not any("trusted domain" in str(p) for p in check(custom))
    blocked = replace(custom, blocked_domains=("www.example.com",))
    assert any("blocked domain (www.example.com" in str(p) for p in check(blocked))


@pytest.mark.parametrize(
    ("url", "language"),
    [
        ("https://www.besafe.be/fr/plp", "fr"),
        ("https://www.police.be/5998/FR/contact", "fr"),
        ("https://www.politie.be/nl_BE/x", "nl"),
        ("https://www.example.be/en-gb/x", "en"),
        ("https://de.wikipedia.org/wiki/Einbruch", "de"),
        ("https://www.ejustice.just.fgov.be/cgi/article.pl?language=fr&la=F", "fr"),
        ("https://www.ejustice.just.fgov.be/cgi_loi/loi.pl?la=D", "de"),
        ("https://www.example.be/x?lang=nl-BE", "nl"),
        ("https://www.example.be/x?id=3&taal=nl", "nl"),
        ("https://www.besafe.be/plp", None),
        ("https://www.example.be/fr-faq/guide-nl.pdf", None),
        ("https://fr.be/", None),
        ("https://www.example.be/x?la=X&page=de", None),
    ],
)
def test_the_language_a_url_shows(url: str, language: str | None) -> None:
    assert url_language(url) == language


def test_every_content_language_has_a_name() -> None:
    assert set(ENGLISH_NAMES) == set(LANGUAGES)
