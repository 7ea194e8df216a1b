"""`preventbot nlu parse`: JSON lines in, one JSON line out per input, in order."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

from bot.cli.nlu import parse_lines
from nlu.embedding import coverage
from nlu.engine import EmbeddedNLU
from nlu.evaluation import evaluate_files, format_report


def test_parse_lines_json_shape(trained_nlu: EmbeddedNLU) -> None:
    source = io.StringIO(
        '{"text": "comment déclarer mon alarme"}\n'
        "\n"
        '{"text": "fiets registreren", "lang": "nl"}\n'
        "not json\n"
        '{"lang": "fr"}\n'
        '{"text": "merci", "lang": "fr"}\n'
    )
    out = io.StringIO()
    assert parse_lines(trained_nlu, source, out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 5
    first, second, bad, missing, thanks = lines
    assert list(first) == ["text", "lang", "intent", "confidence", "ranking"]
    assert first["text"] == "comment déclarer mon alarme"
    assert first["lang"] == "fr"
    assert first["intent"] == "alarm.declare"
    assert first["ranking"][0] == {"intent": "alarm.declare", "confidence": first["confidence"]}
    assert all(set(item) == {"intent", "confidence"} for item in first["ranking"])
    assert (second["lang"], second["intent"]) == ("nl", "bike.register")
    assert "error" in bad
    assert "error" in missing
    assert (thanks["lang"], thanks["intent"]) == ("fr", "thanks")
    assert "é" in out.getvalue()  # UTF-8 as is, not \u escapes


def test_eval_report_on_a_small_file(trained_nlu: EmbeddedNLU, tmp_path: Path) -> None:
    path = tmp_path / "de" / "sample.yml"
    path.parent.mkdir()
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: bike.register\n  examples: |\n'
        "    - wie registriere ich mein Fahrrad\n"
        "- intent: out_of_scope\n  examples: |\n    - wie wird das Wetter morgen\n",
        encoding="utf-8",
    )
    report = evaluate_files(trained_nlu, [path])
    assert report.accuracy.total == 2
    assert report.accuracy_for("de").total == 2
    text = format_report(report)
    assert "de:" in text
    assert "out-of-scope recall" in text


def test_seed_holds_the_training_sentences_and_a_fresh_cache_uses_it(tmp_path: Path) -> None:
    from nlu.classifier import mask
    from nlu.engine import EngineConfig, write_seed
    from nlu.reader import read_directory

    (tmp_path / "data" / "en").mkdir(parents=True)
    (tmp_path / "data" / "en" / "small.yml").write_text(
        'version: "3.1"\nnlu:\n'
        "- intent: greet\n  examples: |\n    - hello\n    - hi there\n"
        "- intent: thanks\n  examples: |\n    - thanks a lot\n    - mail me at a@b.be thanks\n"
    )
    config = EngineConfig(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    assert write_seed(config) == 4
    assert config.seed_file == tmp_path / "embeddings.npz"
    texts = [mask(e.text) for e in read_directory(tmp_path / "data").examples]
    assert coverage(config.seed_file, texts) == 1.0
    # A fresh clone (empty cache) trains from the seed and answers.
    fresh = EmbeddedNLU.from_config(replace(config, cache_dir=tmp_path / "fresh"))
    assert fresh.parse_sync("hello", "en").intent == "greet"
