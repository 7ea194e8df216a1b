"""Settings: `config.yml` plus the environment, loaded once into a frozen, typed object."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

import yaml

from bot.base import values
from bot.base.errors import ConfigError
from bot.base.languages import LANGUAGES
from bot.base.secret import Secret as Secret  # re-exported: callers import it from here

NLU_BACKENDS: Final = ("embedded", "rasa")
PROJECT_ROOT: Final = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG: Final = PROJECT_ROOT / "config.yml"
# Paths in config.yml are relative to its folder; these are the defaults.
CONTENT_DIR: Final = "content"
NLU_CACHE_DIR: Final = "var/nlu"
DB_PATH: Final = "var/preventbot.sqlite3"
# Source links must be on these domains or their subdomains (www.police.be: police.be), unless
# marked `press: true`; config.yml carries the same lists (a test keeps them equal).
# fmt: off
TRUSTED_DOMAINS: Final = (
    "police.be", "politie.be", "polizei.be", "lokalepolitie.be", "besafe.be", "belgium.be",
    "fgov.be", "112.be", "centredecrise.be", "crisiscentrum.be", "safeonweb.be", "1joursans.be",
    "1dagniet.be", "1tagohne.be", "vlaanderen.be", "wallonie.be", "be.brussels", "brussels",
    "parlement.brussels", "ostbelgienlive.be", "ostbelgien.be",
    "gegevensbeschermingsautoriteit.be", "autoriteprotectiondonnees.be",
    "dataprotectionauthority.be", "polbru.be", "wesgo.be", "eifelpolizei.be", "pzrode.be",
    "policehesbaye.be", "gouverneurvlaamsbrabant.be", "brasschaat.be", "beerse.be",
    "berchem.brussels", "declarationcamera.be", "aangiftecamera.be", "ibz.be", "leforem.be",
    "politie-bht.be", "pzgrens.be", "auderghem.be", "charleroi.be", "nivelles.be", "uccle.be",
    "berlaar.be", "jabbeke.be", "ondernemeninantwerpen.be", "wavre.be", "mechelen.be",
)
# Legacy copies and mirrors: always a problem, even under a trusted suffix or marked press.
BLOCKED_DOMAINS: Final = (
    "vps.fgov.be", "besafe.jdbi.eu", "doczz.fr", "etaamb.be", "etaamb.openjustice.be",
)
# fmt: on

# Environment variable -> dotted key under `preventbot:`; the environment wins over the file.
ENV_OVERRIDES: Final[Mapping[str, str]] = {
    "PREVENTBOT_DB": "storage.path",
    "PREVENTBOT_NLU": "nlu.backend",
    "RASA_URL": "nlu.rasa_url",
    "PREVENTBOT_CONTENT_DIR": "content.dir",
    "PREVENTBOT_DEFAULT_LANGUAGE": "default_language",
    "PREVENTBOT_NLU_CACHE": "nlu.model_cache_dir",
    "TELEGRAM_BASE_URL": "telegram.base_url",
    "PREVENTBOT_REPLICAS": "telegram.replicas",
    "PREVENTBOT_WEB_URL": "web.public_url",
}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NLUSettings:
    """How messages are understood."""

    backend: str = "embedded"
    # None: the nlu library's own default (nlu.EngineConfig), applied by bot/app.py.
    threshold: float | None = None
    ambiguity_margin: float | None = None
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 3.0
    model_cache_dir: Path = PROJECT_ROOT / NLU_CACHE_DIR


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """When and how fast campaign reminders go out."""

    quiet_start: time = time(21, 0)
    quiet_end: time = time(9, 0)
    messages_per_second: float = 25.0
    # Telegram's paid broadcasts (allow_paid_broadcast): up to 1,000 messages/s, paid in Stars.
    paid_broadcast: bool = False
    paid_messages_per_second: float = 1000.0
    max_places_per_user: int = 5
    check_interval_seconds: int = 300


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """The Telegram channel; the token comes from the environment only."""

    token: Secret | None = None
    base_url: str = "https://api.telegram.org/bot"
    flood_max_messages: int = 8
    flood_window_seconds: int = 10
    # Several replicas behind one webhook share the database: updates in chat order, flood
    # limits, the sending budget and admin notices are kept there (README "Several replicas").
    replicas: bool = False
    # Every message the bot sends, all replicas together (Telegram allows about 30 a second);
    # broadcasts keep to reminders.messages_per_second of it, the rest is for replies.
    messages_per_second: float = 30.0


@dataclass(frozen=True, slots=True)
class WebSettings:
    """The prevention services' workspace; the signing key comes from the environment only."""

    public_url: str = "http://127.0.0.1:8080"
    session_hours: int = 12
    max_form_bytes: int = 256 * 1024
    secret: Secret | None = None  # PREVENTBOT_WEB_SECRET; unset: a key file under var/


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot needs to start, validated."""

    config_path: Path = DEFAULT_CONFIG
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "fr"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Brussels"))
    nlu: NLUSettings = field(default_factory=NLUSettings)
    content_dir: Path = PROJECT_ROOT / CONTENT_DIR
    nlu_data_dir: Path = PROJECT_ROOT / "nlu" / "data"
    # The evaluation sets (heldout*/) live here: never trained on, whatever the data folder.
    nlu_evaluation_root: Path = PROJECT_ROOT / "nlu"
    max_review_age_days: int = 730
    trusted_domains: tuple[str, ...] = TRUSTED_DOMAINS
    blocked_domains: tuple[str, ...] = BLOCKED_DOMAINS
    gaps_retention_days: int = 90
    db_path: Path = PROJECT_ROOT / DB_PATH
    # A `postgresql://` URL (storage.path or PREVENTBOT_DB); None: the SQLite file `db_path`.
    # A Secret: the URL may hold the database password.
    db_url: Secret | None = None
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    admins: frozenset[int] = frozenset()
    web: WebSettings = field(default_factory=WebSettings)

    @property
    def database(self) -> Path | str:
        """What `Storage.open` takes: the database URL if one is set, else the SQLite file."""
        return self.db_url.reveal() if self.db_url is not None else self.db_path


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read `config.yml` (or `path`), apply the environment, and validate every value."""
    env = os.environ if environ is None else environ
    config_path = Path(env.get("PREVENTBOT_CONFIG", "")) if path is None else path
    if path is None and not env.get("PREVENTBOT_CONFIG"):
        config_path = DEFAULT_CONFIG
    raw = _read_yaml(config_path)
    section = raw.get("preventbot", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{config_path}: 'preventbot' must be a mapping")
    for variable, key in ENV_OVERRIDES.items():
        if env.get(variable):
            _set_dotted(section, key, env[variable])
    return _build(section, config_path, env)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return data


def _set_dotted(section: dict[str, Any], dotted: str, value: str) -> None:
    node = section
    *parents, last = dotted.split(".")
    for name in parents:
        child = node.get(name)
        if not isinstance(child, dict):
            child = {}
            node[name] = child
        node = child
    node[last] = value


def _build(section: dict[str, Any], config_path: Path, env: Mapping[str, str]) -> Settings:
    # The defaults are the dataclasses' own: each is written once, above.
    base = config_path.resolve().parent
    get = _Getter(section)
    default = Settings()
    # storage.path (PREVENTBOT_DB): a SQLite file, or a database URL (postgresql://...).
    storage = get("storage.path", str, DB_PATH).strip()
    languages = tuple(get("languages", values.language_list, list(default.languages)))
    default_language = get("default_language", values.language, default.default_language)
    if default_language not in languages:
        raise ConfigError(f"preventbot.default_language: {default_language!r} is not in languages")
    return Settings(
        config_path=config_path,
        languages=languages,
        default_language=default_language,
        timezone=get("timezone", values.zone, default.timezone),
        nlu=_nlu(get, base, default.nlu),
        content_dir=base / get("content.dir", str, CONTENT_DIR),
        nlu_data_dir=base / "nlu" / "data",
        nlu_evaluation_root=base / "nlu",
        max_review_age_days=get(
            "content.max_review_age_days", values.positive_int, default.max_review_age_days
        ),
        trusted_domains=get("content.trusted_domains", values.domains, default.trusted_domains),
        blocked_domains=get("content.blocked_domains", values.domains, default.blocked_domains),
        gaps_retention_days=get(
            "gaps.retention_days", values.positive_int, default.gaps_retention_days
        ),
        db_path=base / (DB_PATH if "://" in storage else storage),
        db_url=Secret(storage) if "://" in storage else None,
        reminders=_reminders(get, default.reminders),
        telegram=_telegram(get, env, default.telegram),
        admins=_admins(env.get("PREVENTBOT_ADMINS", "")),
        web=_web(get, env, default.web),
    )


def _nlu(get: _Getter, base: Path, default: NLUSettings) -> NLUSettings:
    return NLUSettings(
        backend=get("nlu.backend", values.choice(NLU_BACKENDS), default.backend),
        threshold=get("nlu.threshold", values.fraction, default.threshold),
        ambiguity_margin=get("nlu.ambiguity_margin", values.fraction, default.ambiguity_margin),
        rasa_url=get("nlu.rasa_url", values.url, default.rasa_url),
        rasa_timeout_seconds=get(
            "nlu.rasa_timeout_seconds", values.positive_float, default.rasa_timeout_seconds
        ),
        model_cache_dir=base / get("nlu.model_cache_dir", str, NLU_CACHE_DIR),
    )


def _reminders(get: _Getter, default: ReminderSettings) -> ReminderSettings:
    return ReminderSettings(
        quiet_start=get("reminders.quiet_start", values.clock, default.quiet_start),
        quiet_end=get("reminders.quiet_end", values.clock, default.quiet_end),
        messages_per_second=get(
            "reminders.messages_per_second", values.positive_float, default.messages_per_second
        ),
        paid_broadcast=get("reminders.paid_broadcast", values.flag, default.paid_broadcast),
        paid_messages_per_second=get(
            "reminders.paid_messages_per_second",
            values.broadcast_rate,
            default.paid_messages_per_second,
        ),
        max_places_per_user=get(
            "reminders.max_places_per_user", values.positive_int, default.max_places_per_user
        ),
        check_interval_seconds=get(
            "reminders.check_interval_seconds", values.positive_int, default.check_interval_seconds
        ),
    )


def _telegram(get: _Getter, env: Mapping[str, str], default: TelegramSettings) -> TelegramSettings:
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    return TelegramSettings(
        token=Secret(token) if token else None,
        base_url=get("telegram.base_url", values.url, default.base_url),
        flood_max_messages=get(
            "telegram.flood_max_messages", values.positive_int, default.flood_max_messages
        ),
        flood_window_seconds=get(
            "telegram.flood_window_seconds", values.positive_int, default.flood_window_seconds
        ),
        replicas=get("telegram.replicas", values.flag, default.replicas),
        messages_per_second=get(
            "telegram.messages_per_second", values.positive_float, default.messages_per_second
        ),
    )


def _web(get: _Getter, env: Mapping[str, str], default: WebSettings) -> WebSettings:
    secret = env.get("PREVENTBOT_WEB_SECRET", "").strip()
    return WebSettings(
        public_url=get("web.public_url", values.url, default.public_url).rstrip("/"),
        session_hours=get("web.session_hours", values.positive_int, default.session_hours),
        max_form_bytes=get("web.max_form_bytes", values.positive_int, default.max_form_bytes),
        secret=Secret(secret) if secret else None,
    )


class _Getter:
    """Look up dotted keys and name the key in every validation error."""

    def __init__(self, section: dict[str, Any]) -> None:
        self._section = section

    def __call__(self, dotted: str, convert: Callable[[Any], T], default: T) -> T:
        node: Any = self._section
        for name in dotted.split("."):
            if not isinstance(node, dict) or name not in node or node[name] is None:
                return default
            node = node[name]
        try:
            return convert(node)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"preventbot.{dotted}: {exc} (got {node!r})") from exc


def _admins(value: str) -> frozenset[int]:
    ids = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    try:
        return frozenset(int(part) for part in ids)
    except ValueError:
        raise ConfigError(
            "PREVENTBOT_ADMINS: must be a comma-separated list of Telegram user ids"
        ) from None
