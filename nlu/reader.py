"""Read Rasa 3 NLU training data (YAML): intents with examples, and lookup tables."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import yaml

from nlu.errors import TrainingDataError
from nlu.types import Example, LookupTable, TrainingData

# Key names as constants, as Rasa's `formats/rasa_yaml.py`.
KEY_NLU: Final = "nlu"
KEY_VERSION: Final = "version"
KEY_INTENT: Final = "intent"
KEY_LOOKUP: Final = "lookup"
KEY_SYNONYM: Final = "synonym"
KEY_REGEX: Final = "regex"
KEY_EXAMPLES: Final = "examples"
LANGUAGES: Final = ("fr", "nl", "de", "en")
_ENTITY_MARKUP: Final = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def read_directory(root: Path, strict: bool = True) -> TrainingData:
    """Read every `<lang>/*.yml` under `root`; the folder name is the examples' language."""
    files = sorted(path for path in root.glob("*/*.yml") if path.parent.name in LANGUAGES)
    if not files:
        raise TrainingDataError(f"{root}: no training files found in <lang>/*.yml")
    return read_files(((path, path.parent.name) for path in files), strict=strict)


def read_files(files: Iterable[tuple[Path, str]], strict: bool = True) -> TrainingData:
    """Read the given (path, language) files; broken blocks are reported and skipped."""
    examples: list[Example] = []
    lookups: list[LookupTable] = []
    problems: list[str] = []
    for path, language in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(f"{path}:1: cannot read file ({exc.strerror})")
            continue
        file_examples, file_lookups, file_problems = parse_text(text, language, str(path))
        examples.extend(file_examples)
        lookups.extend(file_lookups)
        problems.extend(file_problems)
    if strict and problems:
        raise TrainingDataError("\n".join(problems))
    return TrainingData(tuple(examples), tuple(lookups), tuple(problems))


def parse_text(
    text: str, language: str, source: str = "<string>"
) -> tuple[list[Example], list[LookupTable], list[str]]:
    """Parse one Rasa YAML document; returns examples, lookup tables and problems."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        line = _error_line(exc)
        return [], [], [f"{source}:{line}: not valid YAML: {_first_line(exc)}"]
    if not isinstance(root, yaml.MappingNode):
        return [], [], [f"{source}:1: the file must be a mapping with an 'nlu' key"]
    blocks = _value(root, KEY_NLU)
    if blocks is None:
        return [], [], []
    if not isinstance(blocks, yaml.SequenceNode):
        return [], [], [f"{source}:{blocks.start_mark.line + 1}: 'nlu' must be a list"]
    examples: list[Example] = []
    lookups: list[LookupTable] = []
    problems: list[str] = []
    for block in blocks.value:
        _parse_block(block, language, source, examples, lookups, problems)
    return examples, lookups, problems


def _parse_block(
    block: yaml.Node,
    language: str,
    source: str,
    examples: list[Example],
    lookups: list[LookupTable],
    problems: list[str],
) -> None:
    line = block.start_mark.line + 1
    if not isinstance(block, yaml.MappingNode):
        problems.append(f"{source}:{line}: each block must be a mapping")
        return
    items = _value(block, KEY_EXAMPLES)
    if not isinstance(items, yaml.ScalarNode):
        problems.append(f"{source}:{line}: block has no 'examples' text")
        return
    entries = list(_example_lines(items))
    if not entries:
        problems.append(f"{source}:{line}: block has no examples")
        return
    intent = _scalar(block, KEY_INTENT)
    lookup = _scalar(block, KEY_LOOKUP)
    if intent:
        for entry_line, entry in entries:
            examples.append(Example(_strip_entities(entry), intent, language, source, entry_line))
    elif lookup:
        lookups.append(LookupTable(lookup, tuple(entry for _, entry in entries)))
    elif _scalar(block, KEY_SYNONYM) is None and _scalar(block, KEY_REGEX) is None:
        problems.append(f"{source}:{line}: block needs 'intent', 'lookup', 'synonym' or 'regex'")


def _example_lines(node: yaml.ScalarNode) -> Iterable[tuple[int, str]]:
    # A block scalar's content starts on the line after its `|` indicator.
    first = node.start_mark.line + (2 if node.style == "|" else 1)
    for offset, raw in enumerate(str(node.value).splitlines()):
        stripped = raw.strip()
        if stripped.startswith("- ") and stripped[2:].strip():
            yield first + offset, stripped[2:].strip()


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node  # type: ignore[no-any-return]
    return None


def _scalar(mapping: yaml.MappingNode, key: str) -> str | None:
    node = _value(mapping, key)
    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return str(node.value).strip()
    return None


def _strip_entities(text: str) -> str:
    return _ENTITY_MARKUP.sub(lambda match: match[1] or match[2], text)


def _error_line(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None)
    return int(mark.line) + 1 if mark is not None else 1


def _first_line(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    return str(problem) if problem else str(exc).splitlines()[0]
