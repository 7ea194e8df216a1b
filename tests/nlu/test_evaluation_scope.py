"""The scope figures of `nlu eval`: any kind of rejection counts, per language, on real parses."""

from __future__ import annotations

from pathlib import Path

from nlu.engine import EmbeddedNLU
from nlu.evaluation import evaluate_files, format_report

SCOPE_SET = """\
version: "3.1"
nlu:
- intent: noise
  examples: |
    - 🫠🫠
- intent: referral.pets
  examples: |
    - my neighbour's cat is locked in a shed without food
- intent: out_of_scope
  examples: |
    - which wine goes with a cheese fondue
- intent: plp.join
  examples: |
    - how can I join the neighbourhood information network of my street
- intent: emergency_now
  examples: |
    - someone is forcing my back door right now
"""


def test_a_scope_set_reports_recall_kinds_and_rejections(
    trained_nlu: EmbeddedNLU, tmp_path: Path
) -> None:
    path = tmp_path / "en.yml"
    path.write_text(SCOPE_SET)
    report = evaluate_files(trained_nlu, [path])
    assert report.oos_recall_for("en").total == 3
    assert report.oos_recall_for("en").value == 1.0
    assert report.kind_accuracy_for("en").total == 3
    assert report.false_rejection_for("en").total == 2
    assert report.false_rejection_for("en").hits == 0
    assert report.emergency_recall_for("en").value == 1.0
    assert report.false_alarms_for("en").hits == 0
    text = format_report(report)
    assert "out-of-scope recall (any kind rejected)" in text
    assert "  en: " in text


def test_not_emergency_counts_for_false_alarms_only(
    trained_nlu: EmbeddedNLU, tmp_path: Path
) -> None:
    path = tmp_path / "en.yml"
    path.write_text(
        SCOPE_SET
        + "- intent: not_emergency\n  examples: |\n"
        + "    - last year burglars came in while we were on holiday\n"
    )
    report = evaluate_files(trained_nlu, [path])
    assert report.false_alarms_for("en").total == 5  # four calm messages and the past burglary
    assert report.false_alarms_for("en").hits == 0
    assert report.false_rejection_for("en").total == 2  # never an intent to get right
    assert report.in_scope_accuracy_for("en").total == 2
    assert "not_emergency" not in dict(report.per_intent())
