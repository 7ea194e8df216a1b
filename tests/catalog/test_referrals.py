"""Referrals (content/referrals/): read with the topics, checked like them."""

from __future__ import annotations

from pathlib import Path

from bot.base.settings import load_settings
from bot.catalog.referrals import read_referrals
from bot.catalog.rules import sourcing_problems, training_problems
from bot.catalog.topics import Catalog
from nlu import ACTION_INTENTS, REFERRAL_PREFIX
from tests.helpers.content import real_content

REFERRAL_IDS = {
    "referral.online_scam",
    "referral.identity_theft",
    "referral.traffic_fine",
    "referral.noisy_neighbours",
    "referral.pets",
    "referral.housing",
}

GOOD = """\
id: referral.example
reviewed: 2026-12-01
{texts}
"""
TEXT = """\
{lang}:
  title: A title
  answer: |
    {words}
  sources:
    - https://www.police.be/5998/contact
"""


def referral_text(texts: str | None = None, referral_id: str = "referral.example") -> str:
    """A referral file in four languages (with `texts` instead, when given)."""
    words = " ".join(["word"] * 50)
    body = texts or "".join(
        TEXT.format(lang=lang, words=words) for lang in ("fr", "nl", "de", "en")
    )
    return GOOD.format(texts=body).replace("referral.example", referral_id)


def test_the_real_referrals_are_loaded_with_the_content() -> None:
    referrals = real_content().catalog.referrals
    assert set(referrals) == REFERRAL_IDS
    for referral in referrals.values():
        assert set(referral.texts) == {"fr", "nl", "de", "en"}
        assert all(text.sources for text in referral.texts.values())


def test_the_real_referrals_are_sourced_on_trusted_domains() -> None:
    snapshot = real_content()
    settings = load_settings(environ={})
    problems = sourcing_problems(
        snapshot.catalog, settings.content_dir, settings.trusted_domains, settings.blocked_domains
    )
    assert [p for p in problems if "referrals" in str(p.path)] == []


def test_a_valid_referral_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "referrals").mkdir()
    (tmp_path / "referrals" / "referral.example.yml").write_text(referral_text())
    referrals, problems = read_referrals(tmp_path)
    assert problems == []
    assert referrals["referral.example"].text("nl").title == "A title"


def test_a_broken_referral_file_is_refused_with_its_problems(tmp_path: Path) -> None:
    (tmp_path / "referrals").mkdir()
    words = " ".join(["word"] * 50)
    only_french = TEXT.format(lang="fr", words=words) + "colour: blue\n"
    (tmp_path / "referrals" / "referral.wrong.yml").write_text(
        referral_text(only_french, "notareferral.x")
    )
    referrals, problems = read_referrals(tmp_path)
    messages = " ".join(problem.message for problem in problems)
    assert referrals == {}
    assert "unknown key 'colour'" in messages
    assert "missing key 'nl'" in messages
    assert "must match the file name" in messages
    assert "is not referral.<name>" in messages


def test_no_referral_folder_is_fine(tmp_path: Path) -> None:
    assert read_referrals(tmp_path) == ({}, [])


def test_a_referral_intent_needs_a_referral_file_and_training(tmp_path: Path) -> None:
    catalog = real_content().catalog
    intents = {*catalog.topics, *ACTION_INTENTS, f"{REFERRAL_PREFIX}unknown"}
    problems = [str(p) for p in training_problems(catalog, tmp_path, intents, ACTION_INTENTS)]
    assert any("'referral.unknown' has no referral file" in p for p in problems)
    # every real referral lacks training in this list of intents
    assert sum("no training examples" in p for p in problems) == len(REFERRAL_IDS)
    assert training_problems(Catalog({}), tmp_path, set(ACTION_INTENTS), ACTION_INTENTS) == []
