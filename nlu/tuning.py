"""Choose the fallback threshold and margin by cross-validation on the training data only."""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from nlu.classifier import IntentClassifier, Scores
from nlu.embedding import Embedder, default_embedder, training_cache
from nlu.engine import SEED_FILE
from nlu.fallback import FallbackPolicy
from nlu.reader import read_directory
from nlu.types import OUT_OF_SCOPE_INTENT, Example, IntentScore

logger = logging.getLogger(__name__)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))
MARGINS = (0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2)
# Keep headroom under the 5 % target: cross-validated models are a little less sure.
MAX_FALSE_REJECTION = 0.04


@dataclass(frozen=True, slots=True)
class Choice:
    """A fallback setting and what it did on the out-of-fold predictions."""

    threshold: float
    margin: float
    accuracy: float
    oos_recall: float
    false_rejection: float


def out_of_fold_scores(
    classifier: IntentClassifier,
    examples: Sequence[Example],
    embeddings: Embedder | None = None,
    folds: int = 5,
    seed: int = 0,
) -> tuple[Scores, tuple[str, ...]]:
    """Confidences for each example from a model that did not see it."""
    labels = np.array([example.intent for example in examples])
    intents = tuple(sorted(set(labels.tolist())))
    scores = np.zeros((len(examples), len(intents)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_index, test_index in splitter.split(np.zeros(len(labels)), labels):
        # Every sentence here is training data: the cached embeddings serve both sides.
        fold = IntentClassifier(dict(classifier.options), embeddings)
        fold.train([examples[i] for i in train_index])
        columns = [intents.index(intent) for intent in fold.intents]
        scores[np.ix_(test_index, columns)] = fold.scores([examples[i].text for i in test_index])
    return scores, intents


def choose(scores: Scores, intents: tuple[str, ...], labels: Sequence[str]) -> list[Choice]:
    """Every setting that keeps false rejection low enough, the most accurate first."""
    gold = np.array(labels)
    in_scope = gold != OUT_OF_SCOPE_INTENT
    order = np.argsort(-scores, axis=1)
    rankings = [
        tuple(IntentScore(intents[j], float(row[j])) for j in ranks[:2])
        for row, ranks in zip(scores, order, strict=True)
    ]
    choices = []
    for threshold, margin in itertools.product(THRESHOLDS, MARGINS):
        policy = FallbackPolicy(threshold, margin)
        final = np.array(
            [OUT_OF_SCOPE_INTENT if policy.is_unsure(r) else r[0].intent for r in rankings]
        )
        choice = Choice(
            threshold,
            margin,
            float(np.mean(final == gold)),
            float(np.mean(final[~in_scope] == OUT_OF_SCOPE_INTENT)),
            float(np.mean(final[in_scope] == OUT_OF_SCOPE_INTENT)),
        )
        if choice.false_rejection <= MAX_FALSE_REJECTION:
            choices.append(choice)
    return sorted(choices, key=lambda c: (-c.accuracy, -c.oos_recall, c.threshold))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m nlu.tuning [--data nlu/data] [--cache var/nlu]`: print the best settings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("nlu/data"))
    parser.add_argument("--cache", type=Path, default=Path("var/nlu"))
    parser.add_argument("--no-embeddings", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    examples = list(read_directory(args.data).examples)
    embedder = None if args.no_embeddings else default_embedder()
    seed = args.data.parent / SEED_FILE
    cache = None if embedder is None else training_cache(embedder, args.cache, seed)
    scores, intents = out_of_fold_scores(IntentClassifier(embedder=embedder), examples, cache)
    choices = choose(scores, intents, [example.intent for example in examples])
    print("threshold margin | accuracy oos_recall false_rejection")
    for c in choices[:12]:
        print(
            f"{c.threshold:9} {c.margin:6} | "
            f"{c.accuracy:.3f} {c.oos_recall:.3f} {c.false_rejection:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
