"""The campaign calendar (`content/campaigns.yml`): read, validated with file:line problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Final

import yaml

from bot.base.clock import parse_clock
from bot.base.languages import LANGUAGES
from bot.catalog.files import Problem, fields_of, line_of, read_yaml, value_of
from bot.catalog.places import Places
from bot.catalog.schedule import RuleError, Schedule, parse_rule

CALENDAR_FILE: Final = "campaigns.yml"
CAMPAIGN_KEYS: Final = frozenset({"id", "facts", "target", "when", "message"})
WHEN_KEYS: Final = frozenset({"date", "yearly", "time", "valid_days"})
TARGET_KEYS: Final = ("regions", "provinces", "municipalities", "postcodes")
MAX_MESSAGE: Final = 1500
_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")


@dataclass(frozen=True, slots=True)
class Target:
    """Who gets a campaign: all of Belgium, or the union of regions, provinces, places."""

    everywhere: bool = False
    regions: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()

    def resolve(self, places: Places) -> frozenset[str] | None:
        """The NIS codes reached, or None for all of Belgium."""
        return None if self.everywhere else frozenset(self.explain(places)[0])

    def explain(self, places: Places) -> tuple[set[str], list[str]]:
        """The NIS codes reached and the names that match nothing."""
        reached: set[str] = set()
        unknown: list[str] = []
        for name in self.regions:
            _collect(places.region(name), name, reached, unknown)
        for name in self.provinces:
            _collect(places.province(name), name, reached, unknown)
        for name in self.municipalities:
            # A NIS code or an exact name (any language); a typo is reported, never guessed.
            found = places.lookup(name) if not name.isdigit() else None
            meant = found.unique if found is not None and found.exact else None
            nis = name if found is None else (meant.nis if meant else "")
            _collect({nis} if places.get(nis) else None, name, reached, unknown)
        for code in self.postcodes:
            _collect(set(places.postcodes.get(code, ())) or None, code, reached, unknown)
        return reached, unknown


def _collect(found: set[str] | None, name: str, reached: set[str], unknown: list[str]) -> None:
    if found:
        reached |= found
    else:
        unknown.append(name)


@dataclass(frozen=True, slots=True)
class Campaign:
    """One calendar entry: its id, message per language, target and schedule."""

    id: str
    messages: dict[str, str]
    target: Target
    schedule: Schedule
    line: int = 0


def read_calendar(
    content_dir: Path, places: Places | None = None, text: str | None = None
) -> tuple[tuple[Campaign, ...], list[Problem]]:
    """Read the calendar (or `text` as if it were the file); with `places`, also check that
    every target name exists."""
    path = content_dir / CALENDAR_FILE
    problems: list[Problem] = []
    node = read_yaml(path, problems, text)
    if node is None:
        return (), problems
    items = fields_of(node).get("campaigns")
    if not isinstance(items, yaml.SequenceNode):
        return (), [Problem(path, 1, "the file must be a mapping with a 'campaigns' list")]
    campaigns: list[Campaign] = []
    for item in items.value:
        campaign = _campaign(item, _Report(path, problems), places)
        if campaign is not None and any(c.id == campaign.id for c in campaigns):
            problems.append(Problem(path, campaign.line, f"duplicate id '{campaign.id}'"))
        elif campaign is not None:
            campaigns.append(campaign)
    return tuple(campaigns), problems


@dataclass(frozen=True, slots=True)
class _Report:
    path: Path
    problems: list[Problem]

    def __call__(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, line_of(node), message))


def _campaign(node: yaml.Node, report: _Report, places: Places | None) -> Campaign | None:
    if not isinstance(node, yaml.MappingNode):
        report(node, "each campaign must be a mapping")
        return None
    before = len(report.problems)
    fields = fields_of(node)
    for key in sorted(set(fields) - CAMPAIGN_KEYS):
        report(fields[key], f"unknown key '{key}'")
    for key in sorted(CAMPAIGN_KEYS - set(fields) - {"facts"}):
        report(node, f"missing key '{key}'")
    campaign_id = str(value_of(fields["id"])) if "id" in fields else ""
    if "id" in fields and not _ID.match(campaign_id):
        report(fields["id"], f"id '{campaign_id}' must be lower-case letters, digits and '-'")
    messages = _messages(fields.get("message"), report)
    target = _target(fields.get("target"), report, places)
    schedule = _schedule(fields.get("when"), report)
    if len(report.problems) > before or target is None or schedule is None:
        return None
    return Campaign(campaign_id, messages, target, schedule, line_of(node))


def _messages(node: yaml.Node | None, report: _Report) -> dict[str, str]:
    fields = fields_of(node) if node is not None else {}
    if node is not None and not isinstance(node, yaml.MappingNode):
        report(node, "'message' must map each language to its text")
    messages = {}
    for language in LANGUAGES:
        text = value_of(fields[language]) if language in fields else None
        if node is not None and (not isinstance(text, str) or not text.strip()):
            report(fields.get(language, node), f"message: missing the '{language}' text")
        elif isinstance(text, str) and len(text) > MAX_MESSAGE:
            report(fields[language], f"message.{language} is over {MAX_MESSAGE} characters")
        elif isinstance(text, str):
            messages[language] = " ".join(text.split())
    for key in sorted(set(fields) - set(LANGUAGES)):
        report(fields[key], f"message: unknown language '{key}'")
    return messages


def _target(node: yaml.Node | None, report: _Report, places: Places | None) -> Target | None:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.value == "all":
            return Target(everywhere=True)
        report(node, "target must be 'all' or a mapping of regions/provinces/municipalities/…")
        return None
    fields = fields_of(node)
    lists: dict[str, tuple[str, ...]] = {}
    for key, value in fields.items():
        items = value_of(value)
        if key not in TARGET_KEYS:
            report(value, f"target: unknown key '{key}' (expected {', '.join(TARGET_KEYS)})")
        elif not isinstance(items, list) or not items:
            report(value, f"target.{key} must be a non-empty list")
        else:
            lists[key] = tuple(str(item).strip() for item in items)
    target = Target(
        regions=lists.get("regions", ()),
        provinces=lists.get("provinces", ()),
        municipalities=lists.get("municipalities", ()),
        postcodes=lists.get("postcodes", ()),
    )
    if not lists:
        report(node, "target reaches nobody")
    elif places is not None:
        for name in target.explain(places)[1]:
            report(node, f"target: no region, province, municipality or postcode '{name}'")
    return target


def _schedule(node: yaml.Node | None, report: _Report) -> Schedule | None:
    if node is None:
        return None
    fields = fields_of(node)
    for key in sorted(set(fields) - WHEN_KEYS):
        report(fields[key], f"when: unknown key '{key}'")
    at = _clock(fields.get("time"))
    if at is None:
        report(fields.get("time", node), 'when.time must be a quoted local time, e.g. "10:00"')
    valid = value_of(fields["valid_days"]) if "valid_days" in fields else 3
    if not isinstance(valid, int) or isinstance(valid, bool) or not 1 <= valid <= 60:
        report(fields.get("valid_days", node), "when.valid_days must be a number of days, 1-60")
        valid = 3
    on_date, yearly = value_of(fields["date"]) if "date" in fields else None, None
    if ("date" in fields) == ("yearly" in fields):
        report(node, "when needs either 'date' (YYYY-MM-DD) or 'yearly' (a rule), not both")
    elif "date" in fields and not isinstance(on_date, date):
        report(fields["date"], "when.date must be a date (YYYY-MM-DD)")
    elif "yearly" in fields:
        try:
            yearly = parse_rule(str(value_of(fields["yearly"])))
        except RuleError as exc:
            report(fields["yearly"], str(exc))
    if at is None or not isinstance(on_date, date | None) or (on_date or yearly) is None:
        return None
    return Schedule(at, on_date, yearly, valid)


def _clock(node: yaml.Node | None) -> time | None:
    # YAML 1.1 reads an unquoted 10:00 as the number 600 (sexagesimal): ask for quotes.
    value = value_of(node) if node is not None else None
    try:
        return parse_clock(value) if isinstance(value, str) else None
    except ValueError:
        return None
