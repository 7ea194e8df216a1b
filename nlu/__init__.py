"""preventbot's language understanding: a pure library, independent of the bot and Telegram.

This module is the library's public API: `bot` and the benchmarks import only these names.
"""

from nlu.emergency import is_emergency
from nlu.engine import MAX_INPUT_CHARS, EmbeddedNLU, EngineConfig, NLUBackend, write_seed
from nlu.errors import BackendUnavailableError, NLUError, TrainingDataError
from nlu.evaluation import Report, evaluate, evaluate_files, format_report, read_examples
from nlu.language import LanguageIdentifier
from nlu.rasa_server import RasaServerNLU
from nlu.reader import LANGUAGES, read_directory
from nlu.types import (
    ACTION_INTENTS,
    EMERGENCY_INTENT,
    OUT_OF_SCOPE_INTENT,
    Example,
    IntentScore,
    Parse,
    TrainingData,
)

__all__ = [
    "ACTION_INTENTS",
    "EMERGENCY_INTENT",
    "LANGUAGES",
    "MAX_INPUT_CHARS",
    "OUT_OF_SCOPE_INTENT",
    "BackendUnavailableError",
    "EmbeddedNLU",
    "EngineConfig",
    "Example",
    "IntentScore",
    "LanguageIdentifier",
    "NLUBackend",
    "NLUError",
    "Parse",
    "RasaServerNLU",
    "Report",
    "TrainingData",
    "TrainingDataError",
    "evaluate",
    "evaluate_files",
    "format_report",
    "is_emergency",
    "read_directory",
    "read_examples",
    "write_seed",
]
