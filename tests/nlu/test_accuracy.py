"""Accuracy on the sets never trained on (held-out split, blind set): issue #4's targets.

Measured (2026-11-25, `preventbot nlu eval`): held-out 93.0 % (fr 92.7, nl 92.5, de 94.2,
en 92.7), out-of-scope recall 91.3 % with 1.0 % of in-scope messages rejected, emergencies 100 %;
blind set 96.2 % (fr 96.3, nl 96.8, de 95.0, en 96.7), out-of-scope recall 90.9 %, 0 % rejected,
emergencies 100 %. Each language is within 2-3 sentences of 92 % on the held-out split, so the
per-language floor leaves a point for noise and the 92 % target is asserted overall.
Since issue 14 a message these sets label `out_of_scope` is right when it is rejected as any
kind (noise, a referral...): these sets do not tell the kinds apart. Measured (2026-12-07):
held-out 92.3 % (in-scope 92.6 %, out-of-scope recall 88.0 %, 1.5 % rejected), blind set
96.7 % (in-scope 96.4 %, out-of-scope recall 100 %, 0.1 % rejected), emergencies 100 %.
"""

from __future__ import annotations

import pytest

from nlu.evaluation import Report, format_report

TARGET_ACCURACY = 0.92
TARGET_OOS_RECALL = 0.85
MAX_FALSE_REJECTION = 0.05
FLOOR_ACCURACY = 0.91


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_accuracy_per_language_floor(heldout_report: Report, language: str) -> None:
    rate = heldout_report.accuracy_for(language)
    assert rate.total > 200
    assert rate.value >= FLOOR_ACCURACY, format_report(heldout_report)


def test_every_emergency_is_caught(heldout_report: Report) -> None:
    assert heldout_report.emergency_recall.value == 1.0, format_report(heldout_report)


def test_out_of_scope_is_rejected_without_rejecting_much_else(heldout_report: Report) -> None:
    assert heldout_report.oos_recall.value >= TARGET_OOS_RECALL, format_report(heldout_report)
    assert heldout_report.false_rejection.value <= MAX_FALSE_REJECTION


def test_overall_accuracy_target(heldout_report: Report) -> None:
    assert heldout_report.accuracy.value >= TARGET_ACCURACY, format_report(heldout_report)


def test_report_lists_languages_intents_and_confusions(heldout_report: Report) -> None:
    text = format_report(heldout_report)
    for heading in ("fr:", "nl:", "de:", "en:", "out-of-scope recall", "emergency recall"):
        assert heading in text
    assert "alarm.declare" in text
    assert "->" in text
