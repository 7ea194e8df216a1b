"""Measurements behind the NLU speed decision (issue 14): can the e5 embedding be skipped?

    python scripts/nlu_speed.py bound          how far the e5 scores can move a fused decision
    python scripts/nlu_speed.py distil         static piece vectors from the shipped e5 engine
                                               (Model2Vec-style, training-data pieces only)
    python scripts/nlu_speed.py static         accuracy with static vectors in place of e5
    python scripts/nlu_speed.py cascade        skip e5 when the static model is confident:
                                               how many messages skip, what changes

Everything is computed with the engine and data in this repository (no download); results
land in var/nlu-speed/. Slow on a busy 2-core machine: distil embeds ~6,400 pieces (6 min).
"""

from __future__ import annotations

import argparse
import dataclasses
import glob
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlu import EmbeddedNLU, evaluate_files, read_examples  # noqa: E402
from nlu.classifier import IntentClassifier, mask  # noqa: E402
from nlu.embedding import E5Embedder, Matrix  # noqa: E402
from nlu.fallback import FallbackPolicy  # noqa: E402
from nlu.language import LanguageIdentifier  # noqa: E402
from nlu.pieces import METASPACE, PieceTokenizer, shipped_model_file  # noqa: E402
from nlu.reader import read_directory  # noqa: E402

OUT = ROOT / "var" / "nlu-speed"
LANGUAGES = ("fr", "nl", "de", "en")
SETS = ("heldout", "heldout-blind")
SIF = 1e-3  # a / (a + p(piece)): frequent pieces count less (smooth inverse frequency)


class StaticEmbedder:
    """A sentence is the SIF-weighted mean of its pieces' distilled vectors, centred."""

    name = "static-pieces"

    def __init__(self, table: Path, tokenizer: PieceTokenizer) -> None:
        stored = np.load(table)
        vectors = stored["vectors"].astype(np.float32)
        self.vectors = vectors - vectors.mean(axis=0)
        self.rows = {int(piece): row for row, piece in enumerate(stored["ids"])}
        scores = np.array([tokenizer.scores[int(piece)] for piece in stored["ids"]])
        self.weights = SIF / (SIF + np.exp(scores))
        self.tokenizer = tokenizer

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One unit row per text (zeros when no piece is known)."""
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for index, text in enumerate(texts):
            rows = [self.rows[p] for p in self.tokenizer.tokenize(text) if p in self.rows]
            if rows:
                vector = self.weights[rows] @ self.vectors[rows]
                out[index] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return out


def distil(tokenizer: PieceTokenizer) -> None:
    """Embed every piece of the training data alone, with the engine the bot ships."""
    pieces = sorted(
        {
            piece
            for example in read_directory(ROOT / "nlu" / "data").examples
            for piece in tokenizer.tokenize(mask(example.text))
        }
    )
    texts = [tokenizer.pieces[p].replace(METASPACE, " ").strip() or METASPACE for p in pieces]
    started, cpu = time.perf_counter(), time.process_time()
    vectors = E5Embedder().embed(texts)
    print(f"{len(pieces)} pieces in {time.perf_counter() - started:.0f} s", end=" ")
    print(f"({time.process_time() - cpu:.0f} s of CPU)")
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "static.npz", ids=np.array(pieces), vectors=vectors.astype(np.float16))


def static_engine(tokenizer: PieceTokenizer) -> EmbeddedNLU:
    """The default classifier with the static vectors where e5 was."""
    classifier = IntentClassifier(embedder=StaticEmbedder(OUT / "static.npz", tokenizer))
    started = time.perf_counter()
    classifier.train(read_directory(ROOT / "nlu" / "data").examples)
    print(f"trained in {time.perf_counter() - started:.1f} s")
    return EmbeddedNLU(classifier, LanguageIdentifier(), FallbackPolicy(0.25, 0.0))


def files(folder: str) -> list[Path]:
    """One evaluation file per language."""
    return [ROOT / "nlu" / folder / f"{lang}.yml" for lang in LANGUAGES]


def accuracy(engine: EmbeddedNLU) -> None:
    """Accuracy per set and language."""
    for folder in SETS:
        report = evaluate_files(engine, files(folder))
        languages = " ".join(f"{lang} {report.accuracy_for(lang).value:.1%}" for lang in LANGUAGES)
        print(f"{folder}: {report.accuracy.value:.1%} ({languages})")


def full_engine() -> EmbeddedNLU:
    """The shipped engine (TF-IDF, e5, kNN), trained into var/nlu-speed/full."""
    from bot.app import engine_config
    from bot.base.settings import load_settings

    config = engine_config(load_settings(environ={}))
    return EmbeddedNLU.from_config(dataclasses.replace(config, cache_dir=OUT / "full"))


def cascade(tokenizer: PieceTokenizer) -> None:
    """Answer from the static model when it is sure enough, else from the full one."""
    cheap, full = static_engine(tokenizer), full_engine()
    for folder in SETS:
        examples = read_examples(files(folder))
        texts = [example.text for example in examples]
        first, second = cheap.parse_many(texts), full.parse_many(texts)
        right = sum(p.intent == e.intent for p, e in zip(second, examples, strict=True))
        print(f"{folder}: full model {right}/{len(texts)} right")
        for threshold in (0.7, 0.8, 0.9, 0.95):
            pairs = zip(first, second, strict=True)
            picked = [a if a.confidence >= threshold else b for a, b in pairs]
            skipped = sum(a.confidence >= threshold for a in first) / len(texts)
            changed = sum(p.intent != b.intent for p, b in zip(picked, second, strict=True))
            cascaded = sum(p.intent == e.intent for p, e in zip(picked, examples, strict=True))
            print(f"  static confidence >= {threshold}: e5 skipped for {skipped:.0%}, ", end="")
            print(f"{changed} decisions changed, {cascaded}/{len(texts)} right")


def bound() -> None:
    """The largest move the e5 scores can make, against the margins they would have to beat."""
    full_engine()
    path = glob.glob(str(OUT / "full" / "intent-*.pkl"))[0]
    with open(path, "rb") as handle:
        _, options, _, _, model, _, _ = pickle.load(handle)  # our own file, just written
    norms = np.linalg.norm(model.embedding, axis=0)
    print(f"e5 weight norms per intent (logits): {norms.min():.1f} to {norms.max():.1f}")
    print(f"a unit e5 vector can move a logit difference by up to {2 * norms.max():.0f}")
    print(f"times the temperature {options.get('temperature', 6.0)}; the kNN vote alone")
    print(f"holds {options.get('knn_weight', 0.5):.0%} of the fused confidence and can go to any")
    print("intent: no TF-IDF margin bounds the decision, so no message can skip e5 provably.")


def main() -> int:
    """Run one measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=("bound", "distil", "static", "cascade"))
    action = parser.parse_args().action
    if action == "bound":
        bound()
        return 0
    tokenizer = PieceTokenizer(shipped_model_file())
    if action == "distil":
        distil(tokenizer)
    elif action == "static":
        accuracy(static_engine(tokenizer))
    else:
        cascade(tokenizer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
