"""The retraining engine: it serves the old model while a retrain runs, swaps in the new one
when it is done, retrains only when the files change, and keeps serving on broken data.
A small TF-IDF-only engine keeps these tests fast; the real one is retrained in tests/web."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from nlu import EmbeddedNLU, EngineConfig, RetrainingNLU, SentenceGrouper, group_by_meaning

DATA = {
    "greet": ["bonjour", "salut", "hello", "bonsoir à vous", "coucou"],
    "plp.join": ["rejoindre un PLP", "devenir membre du PLP", "adhérer au PLP", "lid van een BIN"],
    "alarm.declare": ["déclarer mon alarme", "enregistrer une alarme", "mon alarme déclarer"],
}


def write_data(folder: Path, data: dict[str, list[str]]) -> None:
    """A Rasa training file in `folder/fr/`."""
    blocks = "".join(
        f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {t}\n" for t in texts)
        for intent, texts in data.items()
    )
    (folder / "fr").mkdir(parents=True, exist_ok=True)
    (folder / "fr" / "data.yml").write_text(f'version: "3.1"\nnlu:\n{blocks}', "utf-8")


@pytest.fixture
def config(tmp_path: Path) -> EngineConfig:
    """A small data folder and a TF-IDF-only engine's settings."""
    write_data(tmp_path / "data", DATA)
    return EngineConfig(
        tmp_path / "data", tmp_path / "cache", use_embeddings=False, use_seed=False
    )


async def test_the_old_model_serves_until_the_new_one_swaps_in(config: EngineConfig) -> None:
    live = RetrainingNLU.from_config(config)
    question = "comment installer une caméra de surveillance"
    assert live.retrain_if_changed() is None  # nothing changed
    old = live.engine
    write_data(config.data_dir, {**DATA, "camera.declare": [question, "déclarer ma caméra"]})

    task = live.retrain_if_changed()
    assert task is not None
    assert live.retrain_if_changed() is task
    during = await live.parse(question)  # answered at once, by the old model
    assert during.intent != "camera.declare"
    assert await task
    assert live.engine is not old
    assert live.generation == 1
    assert (await live.parse(question)).intent == "camera.declare"
    assert live.retrain_if_changed() is None


async def test_broken_training_data_keeps_the_current_model(config: EngineConfig) -> None:
    live = RetrainingNLU.from_config(config)
    old = live.engine
    (config.data_dir / "fr" / "broken.yml").write_text("nlu: [not closed\n", "utf-8")
    task = live.retrain_if_changed()
    assert task is not None
    assert not await task
    assert live.engine is old
    assert live.generation == 0
    assert live.retrain_if_changed() is None  # not again until the files change again
    assert (await live.parse("rejoindre un PLP")).intent == "plp.join"


async def test_several_polls_during_a_retrain_share_it(config: EngineConfig) -> None:
    live = RetrainingNLU.from_config(config)
    write_data(config.data_dir, {**DATA, "greet": [*DATA["greet"], "hallo"]})
    tasks = {live.retrain_if_changed() for _ in range(5)}
    assert len(tasks) == 1
    await asyncio.gather(*(task for task in tasks if task is not None))
    assert live.generation == 1


def test_grouping_joins_near_duplicates_and_keeps_the_rest_apart() -> None:
    vectors = np.array([[1.0, 0.0, 0.0], [0.96, 0.28, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert group_by_meaning(vectors.astype(np.float32), threshold=0.9) == [[0, 1], [2], [3]]
    assert group_by_meaning(np.zeros((0, 3), dtype=np.float32)) == []


def test_the_grouper_without_embeddings_keeps_each_text_alone() -> None:
    assert SentenceGrouper(lambda texts: None).group(["a", "b", "c"]) == [[0], [1], [2]]


def test_the_grouper_embeds_each_text_once() -> None:
    seen: list[str] = []

    def embed(texts: object) -> np.ndarray:
        batch = list(texts)  # type: ignore[call-overload]
        seen.extend(batch)
        return np.eye(4, dtype=np.float32)[[len(t) % 4 for t in batch]]

    grouper = SentenceGrouper(embed)
    assert grouper.group(["a", "bb", "a"]) == [[0, 2], [1]]
    assert grouper.group(["bb", "ccc"]) == [[0], [1]]
    assert seen == ["a", "bb", "ccc"]


@pytest.mark.parametrize(
    ("texts", "groups"),
    [
        (
            [
                "comment protéger mon vélo électrique",
                "how do I protect my e-bike",
                "wie schütze ich mein E-Bike",
                "hoe beveilig ik mijn elektrische fiets",
                "mon voisin fait trop de bruit",
                "quel temps fera-t-il demain à Namur ?",
                "what will the weather be like in Namur tomorrow?",
            ],
            [[0, 1, 2, 3], [4], [5, 6]],
        ),
    ],
)
def test_real_embeddings_group_one_question_across_languages(
    trained_nlu: EmbeddedNLU, texts: list[str], groups: list[list[int]]
) -> None:
    grouper = SentenceGrouper(trained_nlu.embed)
    assert grouper.group(texts) == groups
