"""Generate Rasa's build folder (config, domain, NLU data) from config.yml and nlu/data."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "nl", "de", "en")
RASA_KEYS = ("recipe", "assistant_id", "language", "pipeline", "policies")
# Rasa 3.6 accepts dotted intent names (checked with `rasa data validate` and a real model);
# set this to True to rename them ("a.b" -> "a__b") in the generated copy if that ever changes.
MAP_DOTS = False
SEPARATOR = "__"


class _LiteralDumper(yaml.SafeDumper):
    """Write multi-line strings as `|` blocks, as Rasa's own files are."""


def _literal(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)


def rasa_intent(name: str) -> str:
    """The intent name as Rasa sees it."""
    return name.replace(".", SEPARATOR) if MAP_DOTS else name


def write_config(config_path: Path, out: Path) -> None:
    """Keep only the keys Rasa reads from the project's config.yml."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    rasa_config = {key: config[key] for key in RASA_KEYS if key in config}
    out.write_text(yaml.safe_dump(rasa_config, sort_keys=False, allow_unicode=True), "utf-8")


def copy_data(data_dir: Path, out_dir: Path) -> list[str]:
    """Copy every <lang>/*.yml file, renaming intents if needed; returns the intent names."""
    intents: set[str] = set()
    for lang in LANGUAGES:
        for path in sorted((data_dir / lang).glob("*.yml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for block in document.get("nlu") or []:
                if "intent" in block:
                    block["intent"] = rasa_intent(str(block["intent"]))
                    intents.add(block["intent"])
            target = out_dir / f"{lang}_{path.name}"
            text = yaml.dump(
                document, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=1000
            )
            target.write_text(text, encoding="utf-8")
    return sorted(intents)


def write_domain(intents: list[str], out: Path) -> None:
    """A minimal domain: the intents only (the bot does its own dialogue)."""
    domain = {"version": "3.1", "intents": intents}
    out.write_text(yaml.safe_dump(domain, sort_keys=False), encoding="utf-8")


def main() -> int:
    """Write <build>/config.yml, <build>/domain.yml and <build>/data/*.yml."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--data", type=Path, default=ROOT / "nlu" / "data")
    parser.add_argument("--build", type=Path, default=ROOT / "var" / "rasa")
    args = parser.parse_args()
    data_out = args.build / "data"
    shutil.rmtree(data_out, ignore_errors=True)
    data_out.mkdir(parents=True)
    write_config(args.config, args.build / "config.yml")
    intents = copy_data(args.data, data_out)
    write_domain(intents, args.build / "domain.yml")
    print(f"{args.build}: {len(intents)} intents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
