"""The content catalogue: the real files are clean; broken files are reported as file:line."""

from __future__ import annotations

import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.base.errors import ContentError
from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.base.turns import MAX_CALLBACK_BYTES
from bot.catalog.rules import review_problems, training_problems
from bot.catalog.store import ContentStore, load_content
from bot.catalog.topics import Catalog, read_catalog
from bot.cli.content import check
from bot.dialogue.replies import topic_answer, topic_more
from nlu import ACTION_INTENTS, read_directory
from tests.helpers.content_files import review_day
from tests.helpers.project import NOW, project_path

CATALOGUE = [
    "burglary.figures_patterns",
    "burglary.good_habits",
    "burglary.doors_locks",
    "burglary.windows_first_floor",
    "burglary.lighting_presence",
    "burglary.keys",
    "burglary.neighbours",
    "burglary.holiday_absence",
    "burglary.register_mark",
    "burglary.after_burglary",
    "bike.register",
    "police.absence_surveillance",
    "technoprevention.free_visit",
    "victim.support",
    "emergency.numbers",
    "theft.distraction",
    "plp.what_is",
    "plp.join",
    "plp.create",
    "plp.rules_privacy",
    "plp.communication_alerts",
    "plp.figures",
    "campaign.one_day_without",
    "campaign.besafe_at_home",
    "campaign.rosace",
    "alarm.declare",
    "alarm.rules_use",
    "alarm.installer",
    "camera.declare",
    "camera.register_pictogram_rules",
    "private_security.law_overview",
    "private_security.licensing",
    "private_security.guard_powers",
    "private_security.recognise_complain",
    "finance.premiums",
    "policy.integral_security",
]
ALLOWED_TAGS = {"b", "i", "a", "pre", "code"}


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the real content, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(project_path("content"), target)
    return target


def test_all_36_topics_exist_in_four_languages_with_sources(catalog: Catalog) -> None:
    assert sorted(catalog.topics) == sorted(CATALOGUE)
    for topic in catalog.topics.values():
        assert set(topic.texts) == {"fr", "nl", "de", "en"}, topic.id
        for text in topic.texts.values():
            assert text.sources, topic.id
            assert all(url.startswith("https://") for url in text.sources)


def test_every_topic_is_in_exactly_one_menu_group(catalog: Catalog) -> None:
    listed = [topic for group in catalog.groups for topic in group.topics]
    assert sorted(listed) == sorted(CATALOGUE)
    assert {group.id for group in catalog.groups} == {
        "burglary",
        "after_burglary",
        "plp",
        "campaigns",
        "alarms_cameras",
        "private_security",
        "money",
    }


def test_content_check_is_clean_on_the_real_files(settings: Settings, catalog: Catalog) -> None:
    today = review_day(catalog, NOW)
    assert [str(problem) for problem in check(settings, today)] == []


def problems_after(content: Path, name: str, old: str, new: str) -> list[str]:
    path = content / "topics" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [str(problem) for problem in read_catalog(content)[1]]


def test_missing_language_is_reported(content_copy: Path) -> None:
    path = content_copy / "topics" / "plp.join.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("de:\n")
    end = lines.index("en:\n")
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    problems = [str(p) for p in read_catalog(content_copy)[1]]
    assert f"{path}:1: missing key 'de'" in problems


def test_bad_yaml_is_reported_with_its_line(content_copy: Path) -> None:
    problems = problems_after(content_copy, "plp.join.yml", "group: plp", "group: [plp")
    assert any("plp.join.yml:" in p and "invalid YAML" in p for p in problems)


def test_unknown_related_topic_is_reported(content_copy: Path) -> None:
    problems = problems_after(content_copy, "plp.join.yml", "  - plp.create", "  - plp.nothing")
    assert any("related topic 'plp.nothing' does not exist" in p for p in problems)


def test_tab_in_the_wrong_place_is_reported_at_its_line(content_copy: Path) -> None:
    path = content_copy / "topics" / "plp.join.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("  title:"))
    lines[index] = "\t" + lines[index].lstrip()
    path.write_text("".join(lines), encoding="utf-8")
    problems = [str(p) for p in read_catalog(content_copy)[1]]
    assert any(f"{path}:{index + 1}:" in p and "tab" in p for p in problems), problems


def test_bad_link_empty_answer_and_unknown_key_are_reported(content_copy: Path) -> None:
    path = content_copy / "topics" / "plp.join.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("https://", "htp//", 1).replace("\nfr:\n", "\ncolour: blue\nfr:\n", 1)
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in read_catalog(content_copy)[1]]
    assert any("bad link 'htp//" in p for p in problems)
    assert any("unknown key 'colour'" in p for p in problems)


def test_broken_content_stops_the_start(content_copy: Path) -> None:
    (content_copy / "topics" / "plp.join.yml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"plp\.join\.yml:\d+: invalid YAML"):
        ContentStore.load(content_copy)


def test_a_broken_calendar_or_places_file_stops_the_start_too(content_copy: Path) -> None:
    calendar = content_copy / "campaigns.yml"
    good = calendar.read_text(encoding="utf-8")
    calendar.write_text("campaigns: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"campaigns\.yml:\d+: invalid YAML"):
        ContentStore.load(content_copy)
    calendar.write_text(good, encoding="utf-8")
    with (content_copy / "places" / "postcodes.csv").open("a", encoding="utf-8") as handle:
        handle.write("47000,63023\n")
    with pytest.raises(ContentError, match=r"postcodes\.csv:\d+: postcode must be 4 digits"):
        ContentStore.load(content_copy)


def test_review_date_older_than_the_limit_is_reported(catalog: Catalog) -> None:
    later = date(2031, 1, 1)
    problems = review_problems(catalog, Path("content"), later, max_age_days=365)
    # the referrals (content/referrals/) are reviewed like the topics
    assert len(problems) == len(catalog.topics) + len(catalog.referrals)
    assert "days ago (limit 365)" in str(problems[0])
    today = review_day(catalog, NOW).date()
    assert review_problems(catalog, Path("content"), today, 365) == []


def test_topics_and_training_intents_match(catalog: Catalog) -> None:
    data = read_directory(project_path("nlu", "data"))
    assert training_problems(catalog, Path("c"), data.intents, ACTION_INTENTS) == []
    problems = training_problems(
        catalog, Path("c"), {*data.intents, "x.y"} - {"plp.join"}, ACTION_INTENTS
    )
    messages = [str(p) for p in problems]
    assert any("plp.join.yml" in m and "no training examples" in m for m in messages)
    assert any("training intent 'x.y' has no topic file" in m for m in messages)


class TagChecker(HTMLParser):
    """Records tags, to prove a reply is well-formed Telegram HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag {tag}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced {tag}")


def assert_telegram_html(text: str) -> None:
    checker = TagChecker()
    checker.feed(text)
    checker.close()
    assert not checker.errors, (checker.errors, text[:200])
    assert not checker.stack, (checker.stack, text[:200])
    assert len(text) <= 4096


def test_every_answer_renders_as_safe_telegram_html(catalog: Catalog) -> None:
    translator = Translator(("fr", "nl", "de", "en"))
    for topic in catalog.topics.values():
        for language in ("fr", "nl", "de", "en"):
            _ = translator.gettext(language)
            for reply in (
                topic_answer(topic, catalog, language, _),
                topic_more(topic, language, _),
            ):
                assert_telegram_html(reply.text)
                for row in reply.buttons:
                    for button in row:
                        assert button.label.strip()
                        assert len(button.data.encode()) <= MAX_CALLBACK_BYTES


def test_markup_in_content_is_escaped(content_copy: Path) -> None:
    problems_after(content_copy, "plp.join.yml", "  title: ", "  title: <b>x</b> & <script> ")
    catalog = load_content(content_copy).catalog
    reply = topic_answer(catalog.topics["plp.join"], catalog, "fr", lambda s: s)
    assert "&lt;script&gt;" in reply.text
    assert_telegram_html(reply.text)
