"""The topics list of the workspace: one row per topic (and per new topic still in draft),
with search and filters."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.base.languages import LANGUAGES
from bot.catalog.topics import ID_PATTERN, Catalog
from bot.editorial.form import FormError, SourceItem, TextForm, TopicForm, form_from_yaml
from bot.storage import Storage, TopicDraft
from bot.storage.topic_drafts import OPEN

ALL_VOTES: Final = 100_000  # every topic's votes (there are a few dozen topics)


@dataclass(frozen=True, slots=True)
class TopicRow:
    """One line of the topics list."""

    id: str
    title: str  # in the asked language
    group: str
    group_title: str
    complete: tuple[str, ...]  # languages with a title, an answer and sources
    reviewed: date | None  # None: a new topic, not yet published
    review_age: int | None  # days
    reviewed_by: str
    stale: bool  # reviewed longer ago than the limit
    unhelpful: int  # "not helpful" votes, all languages
    helpful: int
    draft_id: int | None  # the newest open draft, if any
    draft_status: str | None  # draft, submitted or returned
    search_text: str  # id, titles and terms of all languages, folded for `matches`

    @property
    def incomplete(self) -> bool:
        """Whether a language lacks its title, answer or sources."""
        return len(self.complete) < len(LANGUAGES)


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list shows: words to find, a group, and only the rows that need work."""

    query: str = ""
    group: str | None = None
    incomplete: bool = False
    stale: bool = False
    has_draft: bool = False


def fold(text: str) -> str:
    """Text for comparing: lower case, without accents (`Clé` and `cle` match)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


async def topic_rows(
    catalog: Catalog, storage: Storage, language: str, today: date, max_age_days: int
) -> list[TopicRow]:
    """Every topic in menu order, then the new topics in draft."""
    votes: dict[str, list[int]] = {}
    for topic_id, _, bad, good in await storage.gaps.unhelpful_topics(ALL_VOTES):
        counts = votes.setdefault(topic_id, [0, 0])
        counts[0] += bad
        counts[1] += good
    drafts: dict[str, TopicDraft] = {}
    for draft in await storage.topic_drafts.find(OPEN):  # newest first: keep the first
        # Campaign texts share the table (`campaign:<id>`): only topic ids are topics.
        if ID_PATTERN.match(draft.topic_id):
            drafts.setdefault(draft.topic_id, draft)
    titles = {group.id: group.titles.get(language, group.id) for group in catalog.groups}
    rows = []
    for topic_id in _menu_order(catalog):
        topic = catalog.topics[topic_id]
        age = (today - topic.reviewed).days
        rows.append(
            _row(
                topic_id,
                _form_of(topic_id, catalog),
                titles.get(topic.group, topic.group),
                topic.reviewed,
                age,
                topic.reviewed_by,
                age > max_age_days,
                votes.get(topic_id, [0, 0]),
                drafts.get(topic_id),
                language,
            )
        )
    for topic_id, draft in drafts.items():
        if topic_id not in catalog.topics:
            try:
                new = form_from_yaml(draft.content)
            except FormError:
                continue
            group = titles.get(new.group, new.group)
            rows.append(_row(topic_id, new, group, None, None, "", False, [0, 0], draft, language))
    return rows


def _menu_order(catalog: Catalog) -> list[str]:
    listed = [t for group in catalog.groups for t in group.topics if t in catalog.topics]
    return listed + sorted(set(catalog.topics) - set(listed))


def _form_of(topic_id: str, catalog: Catalog) -> TopicForm:
    """A published topic in the shape of a draft's form, so both kinds of row are built alike."""
    topic = catalog.topics[topic_id]
    texts = {
        language: TextForm(
            text.title,
            text.answer,
            text.more,
            tuple(SourceItem(s.url, s.press, s.lang) for s in text.source_items),
            text.terms,
        )
        for language, text in topic.texts.items()
    }
    return TopicForm(topic.id, topic.group, topic.related, texts)


def _row(
    topic_id: str,
    form: TopicForm,
    group_title: str,
    reviewed: date | None,
    age: int | None,
    reviewed_by: str,
    stale: bool,
    votes: Sequence[int],
    draft: TopicDraft | None,
    language: str,
) -> TopicRow:
    complete = tuple(
        lang
        for lang in LANGUAGES
        if (text := form.text(lang)).title and text.answer and text.sources
    )
    words: list[str] = [topic_id]
    for lang in LANGUAGES:
        words += [form.text(lang).title, *form.text(lang).terms]
    return TopicRow(
        topic_id,
        form.text(language).title or form.text("fr").title or topic_id,
        form.group,
        group_title,
        complete,
        reviewed,
        age,
        reviewed_by,
        stale,
        votes[0],
        votes[1],
        draft.id if draft else None,
        draft.status if draft else None,
        fold(" ".join(words)),
    )


def matches(row: TopicRow, filters: Filters) -> bool:
    """Whether a row passes the filters (every word of the query, in any language)."""
    if filters.group and row.group != filters.group:
        return False
    if (filters.incomplete and not row.incomplete) or (filters.stale and not row.stale):
        return False
    if filters.has_draft and row.draft_id is None:
        return False
    return all(word in row.search_text for word in fold(filters.query).split())


def select(rows: Iterable[TopicRow], filters: Filters) -> list[TopicRow]:
    """The rows that pass the filters, in order."""
    return [row for row in rows if matches(row, filters)]
