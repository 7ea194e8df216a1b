"""Reading content files: YAML nodes (with their lines) and CSV rows, problems as file:line."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

# libyaml's reader, when PyYAML has it: the same nodes and lines, six times faster (the topics
# take 0.08 s instead of 0.5 s: a reload blocks the bot that long).
_FAST_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a content file, printed as `file:line: message`."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def read_yaml(
    path: Path, problems: list[Problem], text: str | None = None
) -> yaml.MappingNode | None:
    """A content YAML file's root mapping (or of `text`, as if it were that file's), or None."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(path, 1, f"cannot read file: {exc}"))
            return None
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        try:  # the pure-Python reader again, for the messages the problems quote
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            problems.append(_syntax_problem(path, text, exc))
            return None
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, 1, "the file must be a YAML mapping"))
        return None
    return node


def _syntax_problem(path: Path, text: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    lines = text.splitlines()
    if "\t" in lines[line - 1 if line - 1 < len(lines) else -1]:
        reason = f"{reason} (a tab is not allowed for indentation: use spaces)"
    return Problem(path, line, f"invalid YAML: {reason}")


def read_csv_rows(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """A content CSV file's rows with their line numbers, or [] with the problem recorded."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return [(index + 2, dict(row)) for index, row in enumerate(reader)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(path, 1, f"cannot read file: {exc}"))
        return []


def fields_of(node: yaml.Node) -> dict[str, yaml.Node]:
    """A mapping node's values by key ({} if the node is not a mapping)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): value for key, value in node.value}


def line_of(node: yaml.Node) -> int:
    """The file line (1-based) where a node starts."""
    return int(node.start_mark.line) + 1


def value_of(node: yaml.Node) -> Any:
    """The Python value of a node, as `yaml.safe_load` would give it."""
    return yaml.SafeLoader("").construct_object(node, deep=True)
