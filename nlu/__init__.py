"""preventbot's language understanding: a pure library, independent of the bot and Telegram.

This module is the library's public API: `bot` and the benchmarks import only these names.
"""

from nlu.emergency import is_emergency
from nlu.engine import MAX_INPUT_CHARS, EmbeddedNLU, EngineConfig, NLUBackend, write_seed
from nlu.errors import BackendUnavailableError, NLUError, TrainingDataError
from nlu.evaluation import Report, evaluate, evaluate_files, format_report, read_examples
from nlu.grouping import SAME_MEANING, SentenceGrouper, group_by_meaning
from nlu.language import LanguageIdentifier
from nlu.learning import (
    LEARNED_FILE,
    MAX_PHRASING_CHARS,
    PhrasingError,
    TrainingFiles,
    comparable,
    evaluation_dirs,
)
from nlu.live import RetrainingNLU, training_stamps
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
    "LEARNED_FILE",
    "MAX_INPUT_CHARS",
    "MAX_PHRASING_CHARS",
    "NOISE_INTENT",
    "OTHER_COUNTRY_INTENT",
    "OUT_OF_SCOPE_INTENT",
    "REFERRAL_PREFIX",
    "SAME_MEANING",
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
    "PhrasingError",
    "RasaServerNLU",
    "Report",
    "RetrainingNLU",
    "SentenceGrouper",
    "TrainingData",
    "TrainingDataError",
    "TrainingFiles",
    "comparable",
    "evaluate",
    "evaluate_files",
    "evaluation_dirs",
    "format_report",
    "group_by_meaning",
    "is_emergency",
    "is_rejection",
    "read_directory",
    "read_examples",
    "training_stamps",
    "write_seed",
]
