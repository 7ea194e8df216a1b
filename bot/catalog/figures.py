"""A statistic carries its year: the rule `preventbot content check` applies to answer and more.

A paragraph is a run of non-blank lines; a bullet line (•, -, *, –, ·) is a paragraph of its own,
with the more-indented lines that continue it. A paragraph that states a statistic must name a
year from 1990 to 2039 somewhere in it. A statistic is:

- a percentage: `5 %`, `5%`, `5,5 %` (the `%` sign; words such as "procent" are not read);
- a number of 1,000 or more: `4 290`, `4.290`, `4,290`, `4290` (normal, no-break or narrow
  no-break spaces between the groups of three), or a number followed by million(s), milliard(s),
  miljoen, miljard, Millionen, Milliarden, billion.

Not statistics:

- a plain four-digit number from 1900 to 2099 (`2023`, `1934`): it is read as a year, so write
  a count of two thousand as `2 000`;
- phone numbers: a digit run starting with 0 or + (`0800 30 300`, `02/557 33 53`,
  `00800 2123 2123`, `+32 2 ...`); the emergency numbers 100, 101, 112 are below 1,000 anyway;
- a number right after a phone, postcode or article word (`appelez le 1733`, `bel 1712`,
  `code postal 4700`, `Postleitzahl 4700`, `art. 1382`);
- anything inside a link (`https://...`, `www....`);
- amounts of money follow the same rule as other numbers: `€ 50` or `250 euros` (below 1,000) is
  not a statistic, `20 000 euros` or `350 millions d'euros` is, and needs its year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from bot.catalog.sources import Finding

_SPACES: Final = " \u00a0\u202f"
_URL_RE: Final = re.compile(r"(?:https?://|www\.)\S+")
_PHONE_RE: Final = re.compile(rf"(?<![\w.,])(?<!\d[{_SPACES}])(?:\+|0)\d(?:[{_SPACES}./-]?\d)*")
_CUE_RE: Final = re.compile(
    rf"\b(?:postcode|postal code|code postal|postleitzahl|plz|art\.|article|artikel|tél\.?|tel\.?"
    rf"|telefoon|telefon|phone|appelez(?: le)?|bel(?: het)?|call|rufen sie(?: die)?|numéro"
    rf"|nummer|number)[{_SPACES}:]*\d+",
    re.IGNORECASE,
)
_YEAR_RE: Final = re.compile(r"(?<!\d)(?:199\d|20[0-3]\d)(?!\d)")
_PERCENT_RE: Final = re.compile(rf"(?<![\d.,])\d+(?:[.,]\d+)?[{_SPACES}]?%")
_MILLION_RE: Final = re.compile(
    rf"(?<![\d.,])\d+(?:[.,]\d+)?[{_SPACES}]*(?:millions?|milliards?|miljoen|miljard|millionen"
    r"|milliarden|billion)\b",
    re.IGNORECASE,
)
_NUMBER_RE: Final = re.compile(
    rf"(?<![\d.,])(?:\d{{1,3}}(?:[{_SPACES}.,]\d{{3}})+|\d{{4,}})(?!\d)"
)
_NEXT_WORD_RE: Final = re.compile(rf"[{_SPACES}]*[^\s{_SPACES}]+")
_BULLETS: Final = ("•", "-", "*", "–", "·")


def statistic_findings(text: str, first_line: int, where: str) -> list[Finding]:
    """Paragraphs of `text` (whose first line is `first_line` in its file) with a bare figure."""
    findings: list[Finding] = []
    for index, paragraph in _paragraphs(text):
        unlinked = _URL_RE.sub(_blank, paragraph)
        if _YEAR_RE.search(unlinked):
            continue
        match = _first_statistic(_CUE_RE.sub(_blank, _PHONE_RE.sub(_blank, unlinked)))
        if match is not None:
            line = first_line + index + paragraph.count("\n", 0, match.start())
            found = paragraph[match.start() : match.end()]
            following = _NEXT_WORD_RE.match(paragraph, match.end())
            excerpt = found + (following.group() if following else "")
            findings.append((line, f'{where}: a statistic needs its year ("{excerpt} ...")'))
    return findings


def _first_statistic(text: str) -> re.Match[str] | None:
    candidates = [
        *_PERCENT_RE.finditer(text),
        *_MILLION_RE.finditer(text),
        *(m for m in _NUMBER_RE.finditer(text) if not _is_year(m.group())),
    ]
    return min(candidates, key=lambda match: match.start(), default=None)


def _is_year(number: str) -> bool:
    return number.isdigit() and len(number) == 4 and 1900 <= int(number) <= 2099


def _blank(match: re.Match[str]) -> str:
    # Same length, so that offsets (and so line numbers) stay right.
    return " " * len(match.group())


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(index of the first line, text) of each paragraph; bullet lines stand alone."""
    lines: list[str] = []
    start = 0
    in_bullet = False
    for index, line in enumerate([*text.split("\n"), ""]):
        stripped = line.strip()
        bullet = stripped[:1] in _BULLETS and stripped[1:2] in ("", " ", "\u00a0")
        # A line continues the paragraph unless it is blank or a bullet, or follows a bullet
        # without being indented under it.
        continues = bool(stripped) and not bullet and (not in_bullet or line[:1] in " \t")
        if lines and not continues:
            yield start, "\n".join(lines)
            lines = []
        if not stripped:
            in_bullet = False
            continue
        if not lines:
            start, in_bullet = index, bullet
        lines.append(line)
