"""The Telegram channel: the PTB application, its handlers in order, errors, polling or webhook."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, TypeAlias
from urllib.parse import urlsplit

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    ContextTypes,
    Defaults,
    ExtBot,
    JobQueue,
)

from bot.base.errors import BotError, ConfigError, PreventbotError
from bot.base.i18n import N_
from bot.base.log_redaction import install_redaction
from bot.base.settings import Settings
from bot.base.turns import Reply, UserRecord, esc
from bot.channels.telegram.commands import register_commands
from bot.channels.telegram.context import BotContext, BotData
from bot.channels.telegram.handlers import (
    buttons,
    commands,
    media,
    membership,
    messages,
)
from bot.channels.telegram.io import NO_PREVIEW, send_reply
from bot.channels.telegram.jobs import schedule_jobs, schedule_sweep
from bot.channels.telegram.replicas import attach_replicas, replica_parts
from bot.channels.telegram.updates import CleanApplication
from bot.dialogue.services import Services

logger = logging.getLogger(__name__)

TelegramApplication: TypeAlias = Application[
    ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Any]
]
ServicesFactory = Callable[[], Awaitable[Services]]

# RetryAfter (Telegram's flood control) is waited out and the request sent again, this often.
RATE_LIMIT_RETRIES: Final = 3
ALLOWED_UPDATES: Final = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER)
WEBHOOK_SECRET_ENV: Final = "PREVENTBOT_WEBHOOK_SECRET"
_SECRET_TOKEN: Final = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
APOLOGY: Final = N_("Sorry, something went wrong on my side. Please try again in a moment.")


def build_application(
    settings: Settings,
    services_factory: ServicesFactory,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> TelegramApplication:
    """The configured application; its services are built in post_init, inside the event loop."""
    token = require_token(settings)
    install_redaction(token, _derived_secret(token), os.environ.get(WEBHOOK_SECRET_ENV, ""))
    defaults = Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW, tzinfo=settings.timezone
    )
    limiter = rate_limiter or AIORateLimiter(max_retries=RATE_LIMIT_RETRIES)
    builder = (
        ApplicationBuilder()
        .application_class(CleanApplication)  # no handler meets invalid Unicode
        .token(token)
        .base_url(settings.telegram.base_url)
        .defaults(defaults)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .rate_limiter(limiter)
        .post_init(functools.partial(start_services, services_factory))
        .post_shutdown(stop_services)
    )
    if settings.telegram.replicas:
        # Updates recorded before the webhook's 200, handled in chat order across replicas,
        # messages under the shared budget (bot/channels/telegram/replicas.py).
        parts = replica_parts(limiter)
        builder = (
            builder.update_queue(parts.queue)
            .concurrent_updates(parts.processor)
            .rate_limiter(parts.limiter)
        )
    application: TelegramApplication = builder.build()
    register_handlers(application)
    return application


def register_handlers(application: TelegramApplication) -> None:
    """Every handler, in order, in one place."""
    # Note: order matters! All are in handler group 0, where the first match wins.
    for feature in (
        membership,  # the bot blocked/unblocked, added to or removed from a group
        commands,  # every command (in groups, those that change the chat: admins only)
        buttons,  # every button, forged and stale ones included
        messages,  # text: questions and conversation steps
        media,  # anything that is not text
    ):
        application.add_handlers(feature.handlers())
    application.add_error_handler(on_error)


async def start_services(factory: ServicesFactory, application: TelegramApplication) -> None:
    """post_init: build the services, register the command menus, start the jobs."""
    services = await factory()
    application.bot_data.attach(services)
    settings = services.settings
    if settings.telegram.replicas:
        application.bot_data.share(attach_replicas(application, services))
        schedule_sweep(application)
    try:
        await register_commands(
            application.bot,
            services.translator,
            services.dialogue.flows.commands(),
            settings.languages,
            settings.default_language,
            admins=settings.admins,
        )
    except TelegramError as exc:  # the bot still works without a command menu
        logger.warning("Could not register the command menus: %s", exc)
    schedule_jobs(application)


async def stop_services(application: TelegramApplication) -> None:
    """post_shutdown: close the database."""
    if application.bot_data.attached:
        await application.bot_data.services.storage.close()


async def on_error(update: object, context: BotContext) -> None:
    """Log every error (with traceback, never the token) and tell the user in their language."""
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and chat is not None:
        # Blocked by the user or removed from the group: no more messages, reminders included.
        services = context.services
        await services.storage.users.set_active(chat.id, False, services.now())
        logger.info("A chat blocked the bot or is gone; marked inactive")
        return
    if isinstance(error, ChatMigrated) and chat is not None:
        # The group became a supergroup while we answered: its data follows the new id.
        services = context.services
        await services.storage.users.move_chat(chat.id, error.new_chat_id, services.now())
        return
    if update is None and isinstance(error, NetworkError):
        logger.warning("Network problem while fetching updates (retrying): %s", error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("Error while handling update %s", update_id, exc_info=error)
    if chat is None or not isinstance(update, Update):
        return
    message_id = error.text if isinstance(error, BotError) else APOLOGY
    language = await _language_or_default(context, chat.id, update)
    try:
        text = context.services.translator.gettext(language)(message_id)
        await send_reply(context.bot, chat.id, Reply(esc(text)), delays=())
    except (TelegramError, PreventbotError) as exc:
        logger.warning("Could not tell the user about the error: %s", exc)


async def _language_or_default(context: BotContext, chat_id: int, update: Update) -> str:
    code = update.effective_user.language_code if update.effective_user else None
    try:
        user = await context.services.storage.users.get(chat_id) or UserRecord(chat_id)
    except PreventbotError:  # the database may be what failed
        user = UserRecord(chat_id)
    return context.dialogue.language_for(user, code)


def require_token(settings: Settings) -> str:
    """The bot token, or a ConfigError naming the variable."""
    if settings.telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN: not set (create a bot with @BotFather)")
    return settings.telegram.token.reveal()


def webhook_secret(token: str, environ: Mapping[str, str]) -> str:
    """The webhook's secret token: PREVENTBOT_WEBHOOK_SECRET, or one derived from the bot token."""
    configured = environ.get(WEBHOOK_SECRET_ENV, "").strip()
    if configured:
        if not _SECRET_TOKEN.match(configured):
            raise ConfigError(f"{WEBHOOK_SECRET_ENV}: 1 to 256 characters A-Z, a-z, 0-9, _ or -")
        return configured
    return _derived_secret(token)


def _derived_secret(token: str) -> str:
    return hmac.new(token.encode(), b"preventbot webhook", hashlib.sha256).hexdigest()


def webhook_options(
    settings: Settings, url: str, listen: str, port: int, environ: Mapping[str, str]
) -> dict[str, Any]:
    """Arguments of run_webhook: listen on the URL's path, check the secret on every call."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ConfigError(f"--webhook-url: must be an https:// URL (got {url!r})")
    return {
        "listen": listen,
        "port": port,
        "url_path": parts.path.strip("/"),
        "webhook_url": url,
        "secret_token": webhook_secret(require_token(settings), environ),
        "allowed_updates": list(ALLOWED_UPDATES),
        # Never deleteWebhook: PTB then only calls setWebhook (the same for every replica),
        # and stopping never removes it, so a restarting replica leaves the others served.
        "drop_pending_updates": False,
    }
