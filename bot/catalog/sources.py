"""Source links of a topic: the item schema, trusted and blocked domains, the page's language."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl, urlsplit

import yaml

from bot.base.languages import ENGLISH_NAMES, LANGUAGES
from bot.catalog.files import fields_of, line_of, value_of

# A finding is (line, message); bot.catalog.topics makes it a Problem with the file's path.
Finding = tuple[int, str]

SOURCE_KEYS: Final = ("url", "press", "lang")
# Query parameters that name the page's language; ejustice writes la=F|N|D.
_QUERY_KEYS: Final = frozenset(
    {"lang", "language", "la", "hl", "locale", "langue", "taal", "sprache", "culture"}
)
_LETTERS: Final = {"f": "fr", "n": "nl", "d": "de", "e": "en"}
# fr, nl-be, de_BE, en-gb: a language code, optionally with a region.
_CODE_RE: Final = re.compile(rf"^({'|'.join(LANGUAGES)})(?:[-_][a-z]{{2}})?$")
_STR_TAG: Final = "tag:yaml.org,2002:str"
_BOOL_TAG: Final = "tag:yaml.org,2002:bool"


@dataclass(frozen=True, slots=True)
class Source:
    """One source link: the URL, whether it is a press article, the page's declared language."""

    url: str
    press: bool = False
    lang: str | None = None
    line: int = 0


def read_sources(node: yaml.Node, where: str) -> tuple[tuple[Source, ...], list[Finding]]:
    """The items of a `sources` list: each a URL or a mapping with `url`, `press`, `lang`."""
    if not isinstance(node, yaml.SequenceNode):
        return (), [(line_of(node), f"'{where}' must be a list of links")]
    if not node.value:
        return (), [(line_of(node), f"'{where}' must not be empty")]
    sources: list[Source] = []
    findings: list[Finding] = []
    for item in node.value:
        source = _read_item(item, where, findings)
        if source is not None:
            sources.append(source)
    return tuple(sources), findings


def _read_item(node: yaml.Node, where: str, findings: list[Finding]) -> Source | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG:
        return _checked(Source(str(node.value).strip(), line=line_of(node)), where, findings)
    if not isinstance(node, yaml.MappingNode):
        findings.append((line_of(node), f"{where}: an item is a link or a mapping with url:"))
        return None
    fields = fields_of(node)
    for key in fields:
        if key not in SOURCE_KEYS:
            expected = ", ".join(SOURCE_KEYS)
            findings.append((line_of(fields[key]), f"{where}: unknown key '{key}' ({expected})"))
    url = fields.get("url")
    if not isinstance(url, yaml.ScalarNode) or url.tag != _STR_TAG:
        findings.append((line_of(url or node), f"{where}: an item needs 'url:' with a link"))
        return None
    press = fields.get("press")
    is_press = press is not None and press.tag == _BOOL_TAG and value_of(press) is True
    if press is not None and press.tag != _BOOL_TAG:
        findings.append((line_of(press), f"{where}: 'press' must be true or false"))
    lang = fields.get("lang")
    code = str(lang.value) if isinstance(lang, yaml.ScalarNode) else None
    if lang is not None and code not in ENGLISH_NAMES:
        codes = ", ".join(ENGLISH_NAMES)
        findings.append((line_of(lang), f"{where}: 'lang' must be one of {codes}"))
    source = Source(
        str(url.value).strip(), is_press, code if code in ENGLISH_NAMES else None, line_of(url)
    )
    return _checked(source, where, findings)


def _checked(source: Source, where: str, findings: list[Finding]) -> Source | None:
    parts = urlsplit(source.url)
    # Note: quotes and angle brackets are never part of a real link (and are how HTML is smuggled).
    if parts.scheme != "https" or "." not in parts.netloc or any(c in source.url for c in ' "<>'):
        findings.append((source.line, f"{where}: bad link '{source.url}'"))
        return None
    return source


def matches(host: str, domains: Iterable[str]) -> str | None:
    """The first of `domains` that `host` is or is a subdomain of (www.police.be: police.be)."""
    host = host.lower().rstrip(".")
    return next((d for d in domains if host == d or host.endswith("." + d)), None)


def url_language(url: str) -> str | None:
    """The language a URL shows, if any: a query parameter, else a subdomain, else a path part.

    Examples: `?language=fr` (also lang=, la=, hl=, locale=, langue=, taal=, sprache=, culture=),
    `?la=N` (ejustice's F/N/D), `nl.example.be`, `/de/`, `/fr-be/`, `/en_GB/`. A language inside
    a file name or a longer path part (`guide-fr.pdf`, `/fr-faq/`) is not recognised.
    """
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in _QUERY_KEYS:
            code = _code(value) or (_LETTERS.get(value.lower()) if key.lower() == "la" else None)
            if code:
                return code
    labels = (parts.hostname or "").split(".")
    if len(labels) > 2 and labels[0] in ENGLISH_NAMES:
        return labels[0]
    return next((c for segment in parts.path.split("/") if (c := _code(segment))), None)


def _code(text: str) -> str | None:
    match = _CODE_RE.match(text.lower())
    return match[1] if match else None


def source_findings(
    sources: Iterable[Source],
    language: str,
    where: str,
    trusted: Collection[str],
    blocked: Collection[str],
) -> list[Finding]:
    """Sources on a blocked or untrusted domain, or whose page is in another language."""
    findings: list[Finding] = []
    for source in sources:
        for message in (
            _domain_problem(source, trusted, blocked),
            _language_problem(source, language),
        ):
            if message:
                findings.append((source.line, f"{where}: {source.url} {message}"))
    return findings


def _domain_problem(
    source: Source, trusted: Collection[str], blocked: Collection[str]
) -> str | None:
    # Note: blocked first: a legacy mirror under a trusted suffix (vps.fgov.be) stays blocked,
    # even marked `press: true`.
    host = urlsplit(source.url).hostname or ""
    if matches(host, blocked):
        return f"is on a blocked domain ({host}: a legacy copy or mirror); cite the official page"
    if source.press or matches(host, trusted):
        return None
    return (
        f"is not on a trusted domain ({host}); cite an official page, "
        "or mark a press article with press: true"
    )


def _language_problem(source: Source, language: str) -> str | None:
    shown = url_language(source.url)
    if source.lang is not None and shown is not None and shown != source.lang:
        return f"is a {ENGLISH_NAMES[shown]} page but declares lang: {source.lang}"
    if source.lang is None and shown is not None and shown != language:
        wanted = ENGLISH_NAMES[language]
        article = "an" if wanted[0] in "AEIOU" else "a"
        return (
            f"is a {ENGLISH_NAMES[shown]} page; cite {article} {wanted} page "
            f"or declare lang: {shown}"
        )
    return None
