"""Topic forms: the field scheme, and YAML edited in place (comments and layout kept)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.editorial.document import add_to_menu, apply_to_yaml, new_topic_yaml, set_review
from bot.editorial.form import (
    FIELDS,
    FormError,
    SourceItem,
    form_fields,
    form_from_fields,
    form_from_yaml,
    parse_sources,
)
from tests.helpers.editorial import edited
from tests.helpers.project import NOW, project_path

TOPICS = sorted(project_path("content", "topics").glob("*.yml"))
KEYS = project_path("content", "topics", "burglary.keys.yml").read_text(encoding="utf-8")
# The real file with comments in the places people put them.
COMMENTED = "# Keys: checked with the prevention service of Liège.\n" + KEYS.replace(
    "group: burglary\n", "group: burglary  # the menu group\n"
).replace("  - burglary.doors_locks\n", "  - burglary.doors_locks  # same advice\n", 1).replace(
    "fr:\n  title:", "fr:\n  # The title is shown on the menu button.\n  title:"
).replace("incendie\n", "incendie  # official\n", 1)


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.mark.parametrize("path", TOPICS, ids=lambda path: path.stem)
def test_an_unchanged_form_gives_the_file_back_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    form = form_from_yaml(text)
    assert apply_to_yaml(text, form) == text
    # ... also after a trip through the web form's fields.
    typed = form_from_fields(form_fields(form))
    assert typed == form
    assert apply_to_yaml(text, typed) == text


def test_a_change_touches_only_its_lines_and_keeps_the_comments() -> None:
    form = edited(form_from_yaml(COMMENTED), "fr", title="Vos clés à l'abri")
    after = apply_to_yaml(COMMENTED, form)
    assert changed_lines(COMMENTED, after) == [
        "-  title: Vos clés en sécurité",
        "+  title: Vos clés à l'abri",
    ]


def test_lists_are_edited_item_by_item_so_comments_on_kept_items_stay() -> None:
    form = form_from_yaml(COMMENTED)
    sources = (*form.text("fr").sources, SourceItem("https://www.police.be/fr/x", press=True))
    form = edited(form, "fr", sources=sources, terms=("clé", "serrure"))
    after = apply_to_yaml(COMMENTED, form)
    assert "incendie  # official" in after
    assert "group: burglary  # the menu group" in after
    assert sorted(changed_lines(COMMENTED, after)) == [
        "+      press: true",
        "+    - url: https://www.police.be/fr/x",
        "+  terms: [clé, serrure]",
        "-  terms: [clé, double de clé, paillasson, coffre à clés, trousseau, clé de voiture, "
        "cacher une clé]",
    ]


def test_answers_stay_literal_blocks_and_an_emptied_more_is_removed() -> None:
    form = edited(form_from_yaml(COMMENTED), "fr", answer="Ligne un.\n\nLigne deux.", more="")
    after = apply_to_yaml(COMMENTED, form)
    assert (
        "fr:\n  # The title is shown on the menu button.\n  title: Vos clés en sécurité\n" in after
    )
    assert "  answer: |\n    Ligne un.\n\n    Ligne deux.\n  sources:" in after
    assert after.count("more:") == 3


def test_review_date_and_reviewer_go_beside_each_other() -> None:
    after = set_review(COMMENTED, NOW.date(), "Rita: zone Liège")
    assert after.startswith("# Keys: checked")
    assert changed_lines(COMMENTED, after) == [
        "-reviewed: 2026-12-07",
        "+reviewed: 2026-11-25",
        "+reviewed_by: 'Rita: zone Liège'",
    ]
    again = set_review(after, NOW.date(), "Bert")
    # (ruamel keeps a replaced value's quoting style)
    assert changed_lines(after, again) == [
        "-reviewed_by: 'Rita: zone Liège'",
        "+reviewed_by: 'Bert'",
    ]


def test_a_topic_joins_a_menu_group_and_the_menu_keeps_its_comments() -> None:
    menu = project_path("content", "menu.yml").read_text(encoding="utf-8")
    after = add_to_menu(menu, "plp", "plp.new_topic")
    assert changed_lines(menu, after) == ["+      - plp.new_topic"]
    assert after.startswith("# The topic menu")
    moved = add_to_menu(after, "money", "plp.new_topic")
    assert changed_lines(menu, moved) == ["+      - plp.new_topic"]
    assert moved.index("plp.new_topic") > moved.index("id: money")


def test_the_field_scheme() -> None:
    form = form_from_fields(
        {
            "id": "burglary.keys",
            "group": " burglary ",
            "related": "burglary.doors_locks\r\nburglary.neighbours, plp.join",
            "fr.title": "  Vos  clés\n",
            "fr.answer": "Un.\r\n\r\nDeux.  \r\n\x00",
            "fr.sources": (
                "https://www.besafe.be/fr/x\n\n"
                "- https://www.lesoir.be/1 [press]\n"
                "https://www.politie.be/nl/y [lang:nl] [PRESS]\n"
                "https://www.police.be/x typo"
            ),
            "fr.terms": "clé, double de clé\nserrure,,",
        }
    )
    assert form.related == ("burglary.doors_locks", "burglary.neighbours", "plp.join")
    text = form.text("fr")
    assert (form.group, text.title, text.answer) == ("burglary", "Vos clés", "Un.\n\nDeux.")
    assert text.sources == (
        SourceItem("https://www.besafe.be/fr/x"),
        SourceItem("https://www.lesoir.be/1", press=True),
        SourceItem("https://www.politie.be/nl/y", press=True, lang="nl"),
        SourceItem("https://www.police.be/x typo"),  # kept, so the check reports a bad link
    )
    assert text.terms == ("clé", "double de clé", "serrure")
    assert form.text("nl").title == ""
    assert set(form_fields(form)) == set(FIELDS)
    assert form_fields(form)["fr.sources"].splitlines()[2] == (
        "https://www.politie.be/nl/y [press] [lang:nl]"
    )


def test_a_marker_with_an_unknown_language_is_kept_for_the_check() -> None:
    assert parse_sources("https://x.be/a [lang: zz]") == (SourceItem("https://x.be/a", lang="zz"),)


def test_text_that_is_no_topic_is_refused() -> None:
    with pytest.raises(FormError):
        form_from_yaml("- a list\n")
    with pytest.raises(FormError):
        form_from_yaml("id: [unclosed\n")


TYPED = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


@settings(max_examples=25, deadline=None)
@given(title=TYPED, answer=TYPED, more=TYPED, terms=TYPED, source=TYPED, related=TYPED)
def test_whatever_is_typed_is_read_back_as_typed(
    title: str, answer: str, more: str, terms: str, source: str, related: str
) -> None:
    # YAML-special texts ("yes", "null", "- x", "# x", "a: b", "'", "|") and odd characters.
    fields = {
        "id": "burglary.keys",
        "fr.title": title,
        "fr.answer": answer,
        "fr.more": more,
        "fr.terms": terms,
        "fr.sources": f"https://www.police.be/{source}\n{source} [lang:{source}]",
        "related": related,
    }
    form = form_from_fields(fields)
    for original in (KEYS, new_topic_yaml("burglary.keys", "burglary", NOW.date())):
        written = apply_to_yaml(original, form)
        assert form_from_yaml(written) == form
    assert form_from_fields(form_fields(form)) == form
