"""Accuracy reports on Rasa-format files: per language, per intent, confusions, fallbacks."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlu.engine import EmbeddedNLU, NLUBackend
from nlu.errors import NLUError
from nlu.live import RetrainingNLU
from nlu.reader import LANGUAGES, read_files
from nlu.types import EMERGENCY_INTENT, Example, Parse, is_rejection

# A label of the evaluation sets only: the message mentions a crime but reports none happening
# now. It counts for false alarms and nothing else (any intent but emergency_now is right).
NOT_EMERGENCY_LABEL = "not_emergency"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One example and what the backend made of it."""

    example: Example
    parse: Parse

    @property
    def correct(self) -> bool:
        """The final intent (after the fallback policy) is the expected one."""
        return self.parse.intent == self.example.intent

    @property
    def out_of_scope(self) -> bool:
        """Expected to be rejected: out of scope of any kind, or a referral."""
        return is_rejection(self.example.intent)

    @property
    def rejected(self) -> bool:
        """Not answered with a topic or an action (any kind of rejection counts)."""
        return is_rejection(self.parse.intent)

    @property
    def scored(self) -> bool:
        """Its intent is scored (a `not_emergency` message only counts for false alarms)."""
        return self.example.intent != NOT_EMERGENCY_LABEL

    @property
    def merged_correct(self) -> bool:
        """Right, counting every kind of rejection as one class (older sets have one label)."""
        return self.correct or (self.out_of_scope and self.rejected)


@dataclass(frozen=True, slots=True)
class Rate:
    """A count out of a total."""

    hits: int
    total: int

    @property
    def value(self) -> float:
        """hits / total, or 1.0 when there is nothing to count."""
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{100 * self.value:5.1f} % ({self.hits}/{self.total})"


@dataclass(frozen=True, slots=True)
class Report:
    """Everything `preventbot nlu eval` prints."""

    outcomes: tuple[Outcome, ...]

    @property
    def accuracy(self) -> Rate:
        """Final intent right, all languages (any kind of rejection right for out-of-scope)."""
        return _rate(self._of(None), lambda o: o.merged_correct)

    def accuracy_for(self, language: str) -> Rate:
        """Final intent right, one language (rejections of any kind as one class)."""
        return _rate(self._of(language), lambda o: o.merged_correct)

    @property
    def exact_accuracy(self) -> Rate:
        """Final intent exactly the expected one, the kind of rejection included."""
        return _rate(self._of(None), lambda o: o.correct)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages present, in the project's order."""
        present = {o.example.language for o in self.outcomes}
        return tuple(lang for lang in LANGUAGES if lang in present) + tuple(
            sorted(present - set(LANGUAGES))
        )

    @property
    def top1_accuracy(self) -> Rate:
        """The classifier's first choice right, before any fallback."""
        return _rate(self._of(None), lambda o: _top(o.parse) == o.example.intent)

    @property
    def language_id(self) -> Rate:
        """Detected language equals the file's language."""
        return _rate(self.outcomes, lambda o: o.parse.language == o.example.language)

    @property
    def oos_recall(self) -> Rate:
        """Out-of-scope messages (any kind, referrals included) that were rejected."""
        return self.oos_recall_for(None)

    def oos_recall_for(self, language: str | None) -> Rate:
        """Out-of-scope recall in one language (None: all)."""
        return _rate(self._of(language), lambda o: o.rejected, lambda o: o.out_of_scope)

    def kind_accuracy_for(self, language: str | None) -> Rate:
        """Out-of-scope messages given exactly their kind (noise, abuse, referral.pets...)."""
        return _rate(self._of(language), lambda o: o.correct, lambda o: o.out_of_scope)

    @property
    def oos_precision(self) -> Rate:
        """Rejected messages that were really out of scope."""
        rejected = [o for o in self._of(None) if o.rejected]
        return _rate(rejected, lambda o: o.out_of_scope)

    @property
    def false_rejection(self) -> Rate:
        """In-scope messages wrongly rejected as out of scope (of any kind)."""
        return self.false_rejection_for(None)

    def false_rejection_for(self, language: str | None) -> Rate:
        """In-scope messages (topics, actions, emergencies) rejected, in one language."""
        return _rate(self._of(language), lambda o: o.rejected, lambda o: not o.out_of_scope)

    def in_scope_accuracy_for(self, language: str | None) -> Rate:
        """In-scope messages given their exact intent, in one language (None: all)."""
        return _rate(self._of(language), lambda o: o.correct, lambda o: not o.out_of_scope)

    def emergency_recall_for(self, language: str | None) -> Rate:
        """Crimes in progress that reached emergency_now, in one language (None: all)."""
        return _rate(
            self._of(language),
            lambda o: o.parse.intent == EMERGENCY_INTENT,
            lambda o: o.example.intent == EMERGENCY_INTENT,
        )

    def false_alarms_for(self, language: str | None) -> Rate:
        """Other messages sent to emergency_now, in one language (None: all)."""
        return _rate(
            self._of(language, alarms=True),
            lambda o: o.parse.intent == EMERGENCY_INTENT,
            lambda o: o.example.intent != EMERGENCY_INTENT,
        )

    @property
    def emergency_recall(self) -> Rate:
        """Crimes in progress that reached emergency_now."""
        urgent = [o for o in self.outcomes if o.example.intent == EMERGENCY_INTENT]
        return _rate(urgent, lambda o: o.parse.intent == EMERGENCY_INTENT)

    @property
    def emergency_false_alarms(self) -> Rate:
        """Other messages sent to emergency_now."""
        calm = [o for o in self.outcomes if o.example.intent != EMERGENCY_INTENT]
        return _rate(calm, lambda o: o.parse.intent == EMERGENCY_INTENT)

    def per_intent(self) -> dict[str, tuple[Rate, Rate]]:
        """Recall and precision of each expected intent."""
        result = {}
        scored = self._of(None)
        for intent in sorted({o.example.intent for o in scored}):
            expected = [o for o in scored if o.example.intent == intent]
            predicted = [o for o in scored if o.parse.intent == intent]
            result[intent] = (
                _rate(expected, lambda o: o.correct),
                _rate(predicted, lambda o: o.correct),
            )
        return result

    def confusions(self, limit: int = 15) -> list[tuple[str, str, int]]:
        """The most frequent (expected, predicted) mistakes."""
        pairs = Counter(
            (o.example.intent, o.parse.intent) for o in self._of(None) if not o.correct
        )
        return [(gold, got, n) for (gold, got), n in pairs.most_common(limit)]

    def _of(self, language: str | None, alarms: bool = False) -> list[Outcome]:
        """The outcomes of one language (None: all); with `alarms`, `not_emergency` ones too."""
        return [
            o
            for o in self.outcomes
            if (language is None or o.example.language == language) and (alarms or o.scored)
        ]


def read_examples(files: Iterable[str | Path], language: str | None = None) -> list[Example]:
    """Examples of Rasa-format files; the language is `language`, the folder or the file name."""
    pairs = []
    for name in files:
        path = Path(name)
        lang = language or _language_of(path)
        if lang is None:
            raise NLUError(f"{path}: cannot tell the language; use --lang or a <lang>/ folder")
        pairs.append((path, lang))
    return list(read_files(pairs).examples)


async def evaluate(backend: NLUBackend, examples: Sequence[Example]) -> Report:
    """Parse every example without a language hint (language ID is measured too)."""
    if isinstance(backend, RetrainingNLU):
        backend = backend.engine  # the model serving now
    if isinstance(backend, EmbeddedNLU):
        # Same answers as one by one (tested), in a fraction of the time.
        parses = backend.parse_many([example.text for example in examples])
    else:
        parses = [await backend.parse(example.text) for example in examples]
    return Report(tuple(Outcome(e, p) for e, p in zip(examples, parses, strict=True)))


def evaluate_files(
    backend: NLUBackend, files: Iterable[str | Path], language: str | None = None
) -> Report:
    """Read the files and evaluate the backend on them."""
    return asyncio.run(evaluate(backend, read_examples(files, language)))


def format_report(report: Report, limit: int = 15) -> str:
    """A plain-text report, widest numbers first."""
    lines = [
        f"examples: {len(report.outcomes)}",
        f"accuracy (out-of-scope kinds as one): {report.accuracy}",
    ]
    lines += [f"  {lang}: {report.accuracy_for(lang)}" for lang in report.languages]
    lines += [
        f"exact accuracy (the out-of-scope kind too): {report.exact_accuracy}",
        f"in-scope accuracy: {report.in_scope_accuracy_for(None)}",
        f"top-1 accuracy before fallback: {report.top1_accuracy}",
        f"out-of-scope recall (any kind rejected): {report.oos_recall}",
        f"out-of-scope kind accuracy: {report.kind_accuracy_for(None)}",
        f"out-of-scope precision: {report.oos_precision}",
        f"in-scope wrongly rejected: {report.false_rejection}",
        f"emergency recall: {report.emergency_recall}",
        f"emergency false alarms: {report.emergency_false_alarms}",
        f"language identified (no hint): {report.language_id}",
        "per language: in-scope accuracy | out-of-scope recall | kind accuracy | "
        "in-scope rejected | emergency recall | false alarms",
    ]
    for lang in report.languages:
        rates = (
            report.in_scope_accuracy_for(lang),
            report.oos_recall_for(lang),
            report.kind_accuracy_for(lang),
            report.false_rejection_for(lang),
            report.emergency_recall_for(lang),
            report.false_alarms_for(lang),
        )
        lines.append(f"  {lang}: " + " | ".join(str(rate) for rate in rates))
    lines.append("per intent (recall | precision):")
    for intent, (recall, precision) in report.per_intent().items():
        lines.append(f"  {intent:38} {recall} | {precision}")
    lines.append("most frequent confusions (expected -> predicted):")
    lines += [f"  {n:3}  {gold} -> {got}" for gold, got, n in report.confusions(limit)]
    return "\n".join(lines)


def _rate(
    outcomes: Iterable[Outcome],
    hit: Callable[[Outcome], bool],
    among: Callable[[Outcome], bool] = lambda _o: True,
) -> Rate:
    items = [o for o in outcomes if among(o)]
    return Rate(sum(1 for o in items if hit(o)), len(items))


def _top(parse: Parse) -> str:
    return parse.ranking[0].intent if parse.ranking else parse.intent


def _language_of(path: Path) -> str | None:
    for candidate in (path.parent.name, path.stem):
        if candidate in LANGUAGES:
            return candidate
    return None
