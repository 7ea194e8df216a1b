"""One exception base for the NLU package."""

from __future__ import annotations


class NLUError(Exception):
    """Base of every NLU error."""


class TrainingDataError(NLUError):
    """The Rasa-format training data is structurally broken (file and line in the message)."""


class BackendUnavailableError(NLUError):
    """A remote NLU backend (the Rasa server) did not answer in time or answered badly."""
