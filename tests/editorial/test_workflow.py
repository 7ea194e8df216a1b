"""The review of a topic edit, from the first save to the bot's new answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.base.i18n import Translator
from bot.base.languages import LANGUAGES
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.cli.content import check
from bot.dialogue.replies import topic_answer
from bot.editorial.errors import ConflictError, InvalidError, NotAllowedError, NotFoundError
from bot.editorial.review import Editorial
from bot.storage import Storage
from tests.helpers.editorial import ANSWER_FR, Team, edited
from tests.helpers.project import BRUSSELS

KEYS = "burglary.keys"
AFTER_REVIEWS = datetime(2026, 12, 8, tzinfo=BRUSSELS)  # the day after the files' own reviews


def files_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


async def actions(storage: Storage, topic_id: str = KEYS) -> list[tuple[str | None, str]]:
    entries = await storage.audit.recent(subject=topic_id)
    return [(entry.staff_name, entry.action) for entry in reversed(entries)]


async def test_edit_review_publish_and_the_bot_answers_with_it(
    editorial: Editorial, team: Team, storage: Storage, settings: Settings, content_dir: Path
) -> None:
    bot = ContentStore.load(content_dir)  # the running bot, in another process
    original = (content_dir / "topics" / f"{KEYS}.yml").read_text(encoding="utf-8")
    draft = await editorial.start(KEYS, team.ana)
    assert draft.content == original
    assert await editorial.start(KEYS, team.ana) == draft  # the same draft, reopened

    form = edited(editorial.form(draft), "fr", answer=ANSWER_FR.replace("porte", "portière", 1))
    saved = await editorial.save(draft.id, draft.revision, form, team.ana)
    assert saved.report.ok
    assert not saved.outdated
    draft = await editorial.submit(saved.draft.id, saved.draft.revision, "Plus court.", team.ana)
    assert draft.status == "submitted"
    assert editorial.changes(draft)["fr"][1:3] == [
        " title: Vos clés en sécurité",
        " answer:",
    ]

    draft = await editorial.return_to_author(
        draft.id, draft.revision, "Gardez la liste.", team.rita
    )
    assert (draft.status, draft.review_comment) == ("returned", "Gardez la liste.")
    form = edited(editorial.form(draft), "fr", title="Vos clés à l'abri")
    saved = await editorial.save(draft.id, draft.revision, form, team.ana)
    draft = await editorial.submit(saved.draft.id, saved.draft.revision, "Corrigé.", team.ana)
    published = await editorial.approve(draft.id, draft.revision, team.rita)

    text = published.path.read_text(encoding="utf-8")
    assert text == published.content
    assert "reviewed: 2026-11-25\nreviewed_by: Rita\n" in text
    assert "  title: Vos clés à l'abri\n" in text
    assert published.draft.status == "published"
    history = await editorial.history(KEYS)
    assert [(v.author_name, v.reviewer_name) for v in history] == [("Ana", "Rita"), (None, None)]
    assert history[1].content == original  # the file as it was, before the first edit
    assert [
        line
        for line in (await editorial.diff(history[1].id, history[0].id))["fr"]
        if line.startswith("+")
    ] == [
        "+title: Vos clés à l'abri",
        f"+  {ANSWER_FR.replace('porte', 'portière', 1)}",
    ]

    result = bot.reload_if_changed()  # what the bot's watcher does every 30 s
    assert result is not None
    assert (result.changed, result.problems) == (True, ())
    gettext = Translator(LANGUAGES).gettext("fr")
    reply = topic_answer(bot.catalog.topics[KEYS], bot.catalog, "fr", gettext)
    assert reply.text.startswith("<b>Vos clés à l'abri</b>")
    assert "portière" in reply.text
    assert bot.catalog.topics[KEYS].reviewed_by == "Rita"
    problems = check(replace(settings, content_dir=content_dir), AFTER_REVIEWS)
    assert [str(p) for p in problems] == []
    assert await actions(storage) == [
        ("Ana", "topic.edit"),
        ("Ana", "topic.save"),
        ("Ana", "topic.submit"),
        ("Rita", "topic.return"),
        ("Ana", "topic.save"),
        ("Ana", "topic.submit"),
        ("Rita", "topic.approve"),
    ]


async def submitted(editorial: Editorial, team: Team, title: str = "Vos clés à l'abri") -> int:
    draft = await editorial.start(KEYS, team.ana)
    form = edited(editorial.form(draft), "fr", title=title)
    saved = await editorial.save(draft.id, draft.revision, form, team.ana)
    draft = await editorial.submit(saved.draft.id, saved.draft.revision, "", team.ana)
    return draft.id


async def test_nobody_approves_their_own_draft_and_editors_approve_none(
    editorial: Editorial, team: Team
) -> None:
    draft = await editorial.draft(await submitted(editorial, team))
    with pytest.raises(NotAllowedError, match="own draft"):
        await editorial.approve(draft.id, draft.revision, team.ana)
    with pytest.raises(NotAllowedError, match="needs role reviewer"):
        await editorial.approve(draft.id, draft.revision, team.bob)
    with pytest.raises(NotAllowedError, match="needs role reviewer"):
        await editorial.return_to_author(draft.id, draft.revision, "Non.", team.bob)
    with pytest.raises(NotAllowedError, match="comment is required"):
        await editorial.return_to_author(draft.id, draft.revision, " ", team.rita)
    # A reviewer who writes a draft needs another reviewer too.
    own = await editorial.start("plp.join", team.rita)
    own = await editorial.submit(own.id, own.revision, "", team.rita)
    with pytest.raises(NotAllowedError, match="own draft"):
        await editorial.approve(own.id, own.revision, team.rita)
    assert (await editorial.approve(own.id, own.revision, team.adam)).draft.status == "published"


async def test_a_second_save_on_the_same_draft_sees_the_conflict(
    editorial: Editorial, team: Team
) -> None:
    draft = await editorial.start(KEYS, team.ana)
    first = edited(editorial.form(draft), "fr", title="Premier onglet")
    second = edited(editorial.form(draft), "fr", title="Second onglet")
    await editorial.save(draft.id, draft.revision, first, team.ana)
    with pytest.raises(ConflictError, match="changed since you opened it") as caught:
        await editorial.save(draft.id, draft.revision, second, team.ana)
    assert caught.value.draft is not None
    assert "Premier onglet" in caught.value.draft.content
    assert "Premier onglet" in (await editorial.draft(draft.id)).content


async def test_two_editors_on_one_topic_the_second_brings_the_draft_up_to_date(
    editorial: Editorial, team: Team
) -> None:
    bob = await editorial.start(KEYS, team.bob)
    draft = await editorial.draft(await submitted(editorial, team))
    await editorial.approve(draft.id, draft.revision, team.rita)  # Ana's change is published

    form = edited(editorial.form(bob), "nl", title="Sleutels goed bewaren")
    saved = await editorial.save(bob.id, bob.revision, form, team.bob)
    assert saved.outdated  # shown on the page: the topic was published meanwhile
    with pytest.raises(ConflictError, match="changed by someone else"):
        await editorial.submit(saved.draft.id, saved.draft.revision, "", team.bob)
    rebased = await editorial.rebase(saved.draft.id, saved.draft.revision, team.bob)
    assert rebased.conflicts == ()
    assert "title: Vos clés à l'abri" in rebased.draft.content  # Ana's change kept
    assert "title: Sleutels goed bewaren" in rebased.draft.content  # and Bob's
    bob = await editorial.submit(rebased.draft.id, rebased.draft.revision, "", team.bob)
    await editorial.approve(bob.id, bob.revision, team.rita)


async def test_a_draft_is_not_published_over_a_file_changed_since_it_started(
    editorial: Editorial, team: Team, content_dir: Path
) -> None:
    draft = await editorial.draft(await submitted(editorial, team))
    path = content_dir / "topics" / f"{KEYS}.yml"
    changed = path.read_text(encoding="utf-8").replace("Keeping keys safe", "Keys, kept safe")
    path.write_text(changed, encoding="utf-8")  # someone edits the file in git
    with pytest.raises(ConflictError, match="changed by someone else") as caught:
        await editorial.approve(draft.id, draft.revision, team.rita)
    assert caught.value.published == changed
    assert path.read_text(encoding="utf-8") == changed
    assert (await editorial.draft(draft.id)).status == "submitted"


async def test_a_draft_with_problems_cannot_be_submitted(editorial: Editorial, team: Team) -> None:
    draft = await editorial.start(KEYS, team.ana)
    form = edited(editorial.form(draft), "de", answer="Zu kurz.")
    saved = await editorial.save(draft.id, draft.revision, form, team.ana)
    assert saved.report.errors == {"de.answer": ["de.answer has 2 words (60-150 expected)"]}
    with pytest.raises(InvalidError) as caught:
        await editorial.submit(saved.draft.id, saved.draft.revision, "", team.ana)
    assert set(caught.value.report.errors) == {"de.answer"}


async def test_only_the_author_saves_and_submits(editorial: Editorial, team: Team) -> None:
    draft = await editorial.start(KEYS, team.ana)
    with pytest.raises(NotAllowedError, match="Ana's"):
        await editorial.save(draft.id, draft.revision, editorial.form(draft), team.bob)
    with pytest.raises(NotAllowedError, match=r"about burglary\.keys"):
        await editorial.save(
            draft.id, draft.revision, replace(editorial.form(draft), id="plp.join"), team.ana
        )
    with pytest.raises(NotFoundError):
        await editorial.draft(999)


@pytest.mark.parametrize(
    "topic_id",
    [
        "../menu",
        "../../etc/passwd",
        "burglary/keys",
        "/etc/passwd",
        "burglary.keys.yml",
        ".keys",
        "burglary.",
        "Burglary.keys",
        "burglary.keys\n",
        "burglary..keys",
        "",
        "plp.join/../../x",
    ],
)
async def test_path_tricks_in_topic_ids_are_refused(
    topic_id: str, editorial: Editorial, team: Team, content_dir: Path
) -> None:
    before = files_under(content_dir)
    with pytest.raises(NotAllowedError, match=r"must be group\.name"):
        await editorial.new_topic(topic_id, "plp", team.ana)
    with pytest.raises(NotAllowedError, match=r"must be group\.name"):
        await editorial.start(topic_id, team.ana)
    with pytest.raises(NotAllowedError, match=r"must be group\.name"):
        await editorial.history(topic_id)
    assert files_under(content_dir) == before


async def test_a_new_topic_appears_in_the_menu_once_approved(
    editorial: Editorial, team: Team, content_dir: Path, settings: Settings
) -> None:
    with pytest.raises(NotAllowedError, match="already exists"):
        await editorial.new_topic(KEYS, "burglary", team.ana)
    with pytest.raises(NotAllowedError, match="no menu group"):
        await editorial.new_topic("plp.street_party", "parties", team.ana)
    draft = await editorial.new_topic("plp.street_party", "plp", team.ana)
    with pytest.raises(NotAllowedError, match="already writing"):
        await editorial.new_topic("plp.street_party", "plp", team.bob)
    assert not (content_dir / "topics" / "plp.street_party.yml").exists()
    blank = editorial.check(editorial.form(draft))
    assert {"fr.title", "fr.answer", "fr.sources", "en.title"} <= set(blank.errors)

    form = editorial.form(draft)
    for language in LANGUAGES:
        form = edited(
            form,
            language,
            title="Fête des voisins",
            answer=ANSWER_FR,
            sources=editorial.content.catalog.topics["plp.join"].text(language).source_items,
        )
    form = replace(form, related=("plp.join",))
    saved = await editorial.save(draft.id, draft.revision, form, team.ana)
    assert saved.report.ok
    assert saved.report.warnings == {"id": ["no training examples for this topic"]}
    draft = await editorial.submit(saved.draft.id, saved.draft.revision, "Nouveau", team.ana)
    await editorial.approve(draft.id, draft.revision, team.rita)

    catalog = editorial.content.catalog  # reloaded right after publishing
    assert catalog.topics["plp.street_party"].related == ("plp.join",)
    group = catalog.group("plp")
    assert group is not None
    assert group.topics[-1] == "plp.street_party"
    menu = (content_dir / "menu.yml").read_text(encoding="utf-8")
    assert menu.startswith("# The topic menu")
    problems = check(replace(settings, content_dir=content_dir), AFTER_REVIEWS)
    assert [p.message for p in problems] == ["no training examples for this topic"]


async def test_restoring_an_old_version_goes_through_review(
    editorial: Editorial, team: Team, storage: Storage
) -> None:
    draft = await editorial.draft(await submitted(editorial, team))
    await editorial.approve(draft.id, draft.revision, team.rita)
    [_, old] = await editorial.history(KEYS)
    restored = await editorial.restore(old.id, team.bob)
    assert (restored.status, restored.author_name) == ("draft", "Bob")
    assert "title: Vos clés en sécurité" in restored.content
    assert "reviewed_by: Rita" in restored.content  # the file as now published, old texts
    assert "title: Vos clés à l'abri" in (editorial.published(KEYS) or "")
    restored = await editorial.submit(restored.id, restored.revision, "Retour", team.bob)
    await editorial.approve(restored.id, restored.revision, team.adam)
    assert "title: Vos clés en sécurité" in (editorial.published(KEYS) or "")
    assert len(await editorial.history(KEYS)) == 3
    assert (await actions(storage))[-3:] == [
        ("Bob", "topic.restore"),
        ("Bob", "topic.submit"),
        ("Adam", "topic.approve"),
    ]


async def test_a_draft_can_be_discarded(editorial: Editorial, team: Team) -> None:
    draft = await editorial.start(KEYS, team.ana)
    with pytest.raises(NotAllowedError):
        await editorial.discard(draft.id, draft.revision, team.bob)
    draft = await editorial.discard(draft.id, draft.revision, team.ana)
    assert draft.status == "discarded"
    assert (await editorial.start(KEYS, team.ana)).id != draft.id


async def test_a_topic_moved_to_another_group_moves_in_the_menu(
    editorial: Editorial, team: Team, settings: Settings, content_dir: Path
) -> None:
    draft = await editorial.start(KEYS, team.ana)
    form = replace(editorial.form(draft), group="plp")
    saved = await editorial.save(draft.id, draft.revision, form, team.ana)
    draft = await editorial.submit(saved.draft.id, saved.draft.revision, "", team.ana)
    await editorial.approve(draft.id, draft.revision, team.rita)
    plp, burglary = editorial.catalog.group("plp"), editorial.catalog.group("burglary")
    assert plp is not None
    assert burglary is not None
    assert (KEYS in plp.topics, KEYS in burglary.topics) == (True, False)
    assert check(replace(settings, content_dir=content_dir), AFTER_REVIEWS) == []
