"""The campaign calendar: the real file, problems as file:line, targets resolved to places."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.base.settings import Settings
from bot.catalog.campaigns import Target, read_calendar
from bot.catalog.topics import Catalog
from bot.cli.content import check
from tests.helpers.content import campaign, real_content, write_calendar
from tests.helpers.content_files import review_day
from tests.helpers.project import NOW

PLACES = real_content().places


def test_the_real_calendar_is_valid_and_in_four_languages() -> None:
    campaigns = real_content().calendar
    ids = {c.id for c in campaigns}
    assert {"dark-season", "burglary-prevention-week", "summer-absence"} <= ids
    for item in campaigns:
        assert set(item.messages) == {"fr", "nl", "de", "en"}
        assert item.schedule.yearly is not None
    dark = next(c for c in campaigns if c.id == "dark-season")
    assert dark.schedule.dates(2026)[1] == date(2026, 10, 24)  # Saturday before 25 October


def test_the_week_campaign_names_who_announces_the_dates() -> None:
    week = next(c for c in real_content().calendar if c.id.endswith("week"))
    assert "SPF Intérieur" in week.messages["fr"]
    assert "FOD Binnenlandse Zaken" in week.messages["nl"]
    assert "FÖD Inneres" in week.messages["de"]
    assert "FPS Interior" in week.messages["en"]


def test_content_check_includes_the_calendar(
    settings: Settings, tmp_path: Path, catalog: Catalog
) -> None:
    now = review_day(catalog, NOW)
    assert check(settings, now) == []
    content = write_calendar(tmp_path / "content", campaign(target="{provinces: [Atlantis]}"))
    problems = [str(p) for p in check(replace(settings, content_dir=content), now)]
    assert problems == [
        f"{content / 'campaigns.yml'}:4: target: no region, province, "
        "municipality or postcode 'Atlantis'"
    ]


BROKEN = """\
campaigns:
  - id: Bad Id
    target: all
    when:
      yearly: sometime in june
      time: 10:00
    message:
      fr: Bonjour
      nl: ""
      xx: hello
  - id: ok-one
    target:
      municipalities: [Eupen, Etterbek]
      postcodes: ["4700", "0000"]
    when:
      date: 2026-06-01
      yearly: first monday of june
      time: "25:00"
      extra: 1
    message: {fr: a, nl: b, de: c, en: d}
    colour: red
  - id: good
    target: all
    when: {date: 2026-06-01, time: "10:00"}
    message: {fr: a, nl: b, de: c, en: d}
  - id: good
    target: all
    when: {date: 2026-06-02, time: "10:00"}
    message: {fr: a, nl: b, de: c, en: d}
"""


EXPECTED = {
    (2, "id"),  # bad id
    (5, "cannot read the rule 'sometime in june'"),
    (6, 'when.time must be a quoted local time, e.g. "10'),  # unquoted 10:00 reads as 600
    (8, "message"),  # de and en missing: reported where the mapping starts
    (9, "message"),  # empty nl
    (10, "message"),  # unknown language xx
    (13, "target"),  # Etterbek (a typo) and 0000 are not exact
    (16, "when needs either 'date' (YYYY-MM-DD) or 'yearly' (a rule), not both"),
    (18, 'when.time must be a quoted local time, e.g. "10'),  # 25:00
    (19, "when"),  # unknown key extra
    (21, "unknown key"),  # colour
    (26, "duplicate id"),
}


def test_every_problem_has_its_line(tmp_path: Path) -> None:
    folder = write_calendar(tmp_path / "content", BROKEN)
    campaigns, problems = read_calendar(folder, PLACES)
    found = {
        (p.line, next(e for line, e in EXPECTED if line == p.line and p.message.startswith(e)))
        for p in problems
    }
    assert found == set(EXPECTED)
    assert [c.id for c in campaigns] == ["good"]
    assert sum("Etterbek" in p.message or "0000" in p.message for p in problems) == 2


def test_unreadable_or_wrongly_shaped_files(tmp_path: Path) -> None:
    folder = write_calendar(tmp_path / "a", "campaigns: [\n")
    assert read_calendar(folder)[1][0].message.startswith("invalid YAML")
    folder = write_calendar(tmp_path / "b", "- just a list\n")
    assert "must be a YAML mapping" in read_calendar(folder)[1][0].message
    folder = write_calendar(tmp_path / "c", "campaign: []\n")
    assert "'campaigns' list" in read_calendar(folder)[1][0].message
    folder = write_calendar(tmp_path / "d", "campaigns:\n\t- id: x\n")
    assert "a tab is not allowed" in read_calendar(folder)[1][0].message
    assert "cannot read" in read_calendar(tmp_path / "missing")[1][0].message


def test_a_province_target_reaches_only_its_municipalities() -> None:
    target = Target(provinces=("Luxembourg",))
    reached = target.resolve(PLACES)
    assert reached is not None
    assert len(reached) == 43
    assert all(PLACES.municipalities[nis].province_nis == "80000" for nis in reached)
    assert Target(everywhere=True).resolve(PLACES) is None


def test_targets_combine_regions_provinces_names_and_postcodes() -> None:
    target = Target(
        regions=("Brussels",),
        provinces=("Provinz Lüttich",),
        municipalities=("Gent", "44021", "Sint-Niklaas"),
        postcodes=("1804",),
    )
    reached, unknown = target.explain(PLACES)
    assert unknown == []
    assert {"21004", "62063", "63023", "44021", "46021", "23088", "23096"} <= reached
    assert "11002" not in reached  # Antwerpen
