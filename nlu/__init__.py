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
    ABUSE_INTENT,
    ACTION_INTENTS,
    BOT_IDENTITY_INTENT,
    EMERGENCY_INTENT,
    NOISE_INTENT,
    OTHER_COUNTRY_INTENT,
    OUT_OF_SCOPE_INTENT,
    REFERRAL_PREFIX,
    SCOPE_INTENTS,
    Example,
    IntentScore,
    Parse,
    TrainingData,
    is_rejection,
)

__all__ = [
    "ABUSE_INTENT",
    "ACTION_INTENTS",
    "BOT_IDENTITY_INTENT",
    "EMERGENCY_INTENT",
    "LANGUAGES",
    "MAX_INPUT_CHARS",
    "NOISE_INTENT",
    "OTHER_COUNTRY_INTENT",
    "OUT_OF_SCOPE_INTENT",
    "REFERRAL_PREFIX",
    "SCOPE_INTENTS",
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
    "is_rejection",
    "read_directory",
    "read_examples",
    "write_seed",
]
