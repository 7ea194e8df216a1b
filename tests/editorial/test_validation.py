"""The live check: the rules of `content check` on a form, each message next to its field."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.base.settings import Settings
from bot.catalog.files import Problem
from bot.catalog.topics import Catalog, read_topic
from bot.editorial.form import SourceItem, TopicForm, form_from_yaml
from bot.editorial.validation import Rules, form_yaml, validate, validate_text
from tests.helpers.content import real_content
from tests.helpers.editorial import ANSWER_FR, edited, rules_for
from tests.helpers.project import project_path

TOPICS = sorted(project_path("content", "topics").glob("*.yml"))


@pytest.fixture
def rules(settings: Settings) -> Rules:
    return rules_for(settings, project_path("content"))


@pytest.fixture
def keys() -> TopicForm:
    path = project_path("content", "topics", "burglary.keys.yml")
    return form_from_yaml(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", TOPICS, ids=lambda path: path.stem)
def test_the_published_topics_pass(path: Path, catalog: Catalog, rules: Rules) -> None:
    text = path.read_text(encoding="utf-8")
    for report in (
        validate_text(text, catalog, rules),
        validate(form_from_yaml(text), catalog, rules),
    ):
        assert (report.errors, report.warnings) == ({}, {})
        assert report.ok


def test_each_problem_is_next_to_its_field(
    keys: TopicForm, catalog: Catalog, rules: Rules
) -> None:
    fr = keys.text("fr")
    form = edited(
        keys,
        "fr",
        title="",
        answer="Il y a 4 000 cambriolages par an.",
        sources=(
            fr.sources[0],
            SourceItem("https://www.example.com/x"),
            SourceItem("https://www.police.be/nl/inbraak"),
            SourceItem("javascript:alert(1)"),
        ),
    )
    form = edited(form, "nl", sources=())
    form = replace(form, group="nowhere", related=(*form.related, "burglary.nothing"))
    report = validate(form, catalog, rules)
    assert not report.ok
    assert report.errors == {
        "fr.title": ["'fr.title' must be non-empty text"],
        "fr.answer": [
            "fr.answer has 8 words (60-150 expected)",
            'fr.answer: a statistic needs its year ("4 000 cambriolages ...")',
        ],
        "fr.sources": [
            "fr.sources: bad link 'javascript:alert(1)'",
            "fr.sources: https://www.example.com/x is not on a trusted domain (www.example.com); "
            "cite an official page, or mark a press article with press: true",
            "fr.sources: https://www.police.be/nl/inbraak is a Dutch page; cite a French page or "
            "declare lang: nl",
        ],
        "nl.sources": ["'nl.sources' must not be empty"],
        "group": [
            "group 'nowhere' is not a menu group (burglary, after_burglary, plp, campaigns, "
            "alarms_cameras, private_security, money)"
        ],
        "related": ["related topic 'burglary.nothing' does not exist"],
    }
    assert report.counts["fr.answer"].value == 8
    assert not report.counts["fr.answer"].ok
    assert report.counts["nl.answer"].ok


def test_the_messages_are_those_of_content_check(
    keys: TopicForm, catalog: Catalog, rules: Rules, tmp_path: Path
) -> None:
    # The same reader on the same text: the messages are the loader's own.
    form = edited(keys, "de", answer="Zu kurz.", sources=(SourceItem("http://x"),))
    report = validate(form, catalog, rules)
    problems: list[Problem] = []
    read_topic(tmp_path / "burglary.keys.yml", problems, form_yaml(form))
    assert sorted(p.message for p in problems) == sorted(
        m for messages in report.errors.values() for m in messages
    )


def test_a_topic_without_training_phrasings_is_flagged_but_not_blocked(
    keys: TopicForm, catalog: Catalog, rules: Rules
) -> None:
    report = validate(replace(keys, id="burglary.brand_new"), catalog, rules)
    assert report.warnings == {"id": ["no training examples for this topic"]}
    assert report.ok


@pytest.mark.parametrize("topic_id", ["../menu", "burglary/keys", "/etc/passwd", "a.b.c", "Plp.x"])
def test_a_bad_id_is_an_error_on_the_id(topic_id: str, keys: TopicForm, rules: Rules) -> None:
    report = validate(replace(keys, id=topic_id), real_content().catalog, rules)
    assert f"id '{topic_id}' is not group.name" in report.errors["id"]


def test_fast_enough_for_every_keystroke(keys: TopicForm, catalog: Catalog, rules: Rules) -> None:
    form = edited(keys, "fr", answer=ANSWER_FR)
    validate(form, catalog, rules)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        validate(form, catalog, rules)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.05


def test_the_catalog_reads_who_reviewed(tmp_path: Path) -> None:
    text = project_path("content", "topics", "burglary.keys.yml").read_text(encoding="utf-8")
    path = tmp_path / "burglary.keys.yml"
    signed = text.replace("reviewed: 2026-12-07\n", "reviewed: 2026-12-07\nreviewed_by: Rita\n")
    problems: list[Problem] = []
    topic = read_topic(path, problems, signed)
    assert problems == []
    assert topic is not None
    assert topic.reviewed_by == "Rita"
    blank = text.replace("reviewed: 2026-12-07\n", "reviewed: 2026-12-07\nreviewed_by: ''\n")
    assert read_topic(path, problems, blank) is None
    assert [p.message for p in problems] == ["'reviewed_by' must be non-empty text"]
    problems.clear()
    assert read_topic(path, problems, text.replace("id:", "ident:")) is None
    assert "unknown key 'ident'" in [p.message for p in problems]
