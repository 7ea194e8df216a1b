"""The topics list: groups, complete languages, review age, votes, drafts; search and filters."""

from __future__ import annotations

from datetime import date

from bot.catalog.topics import Catalog
from bot.editorial.listing import Filters, TopicRow, fold, select, topic_rows
from bot.editorial.review import Editorial
from bot.storage import Storage
from tests.helpers.editorial import Team
from tests.helpers.project import NOW

TODAY = date(2027, 1, 6)  # 30 days after the files' reviews


async def rows_of(editorial: Editorial, storage: Storage, language: str = "fr") -> list[TopicRow]:
    return await topic_rows(editorial.content.catalog, storage, language, TODAY, 20)


async def test_every_topic_in_menu_order_with_its_state(
    editorial: Editorial, storage: Storage, catalog: Catalog, team: Team
) -> None:
    for helpful in (False, False, True):
        await storage.gaps.record_vote("burglary.keys", "fr", helpful, NOW)
    await storage.gaps.record_vote("burglary.keys", "nl", False, NOW)
    await editorial.start("plp.join", team.ana)
    rows = await rows_of(editorial, storage)
    assert [row.id for row in rows] == [t for group in catalog.groups for t in group.topics]
    keys = next(row for row in rows if row.id == "burglary.keys")
    assert (keys.title, keys.group, keys.group_title) == (
        "Vos clés en sécurité",
        "burglary",
        "Cambriolage",
    )
    assert (keys.complete, keys.incomplete) == (("fr", "nl", "de", "en"), False)
    assert (keys.reviewed, keys.review_age, keys.stale) == (date(2026, 12, 7), 30, True)
    assert (keys.unhelpful, keys.helpful, keys.draft_status) == (3, 1, None)
    join = next(row for row in rows if row.id == "plp.join")
    assert join.draft_status == "draft"
    dutch = await rows_of(editorial, storage, "nl")
    assert (
        next(row for row in dutch if row.id == "burglary.keys").title == "Sleutels veilig bewaren"
    )


async def test_search_ignores_case_and_accents_in_every_language(
    editorial: Editorial, storage: Storage
) -> None:
    rows = await rows_of(editorial, storage)

    def found(query: str) -> list[str]:
        return [row.id for row in select(rows, Filters(query=query))]

    assert "burglary.keys" in found("CLE")  # the French term "clé"
    assert "burglary.keys" in found("sleutelkluis")  # a Dutch term
    assert "burglary.keys" in found("schlusseltresor")
    assert found("keys safe") == ["burglary.keys"]  # every word must match
    assert found("nothing like this") == []
    assert fold("Clé À Œuvre") == "cle a œuvre"


async def test_filters(editorial: Editorial, storage: Storage, team: Team) -> None:
    await editorial.start("plp.join", team.ana)
    await editorial.new_topic("plp.street_party", "plp", team.ana)
    rows = await rows_of(editorial, storage)
    in_plp = select(rows, Filters(group="plp"))
    assert {row.group for row in in_plp} == {"plp"}
    assert [row.id for row in select(rows, Filters(has_draft=True))] == [
        "plp.join",
        "plp.street_party",
    ]
    [new] = select(rows, Filters(incomplete=True))
    assert (new.id, new.complete, new.reviewed, new.draft_status) == (
        "plp.street_party",
        (),
        None,
        "draft",
    )
    assert len(select(rows, Filters(stale=True))) == len(rows) - 1  # all published ones
    assert select(rows, Filters(group="plp", query="street", incomplete=True)) == [new]
