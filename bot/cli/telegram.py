"""`preventbot telegram`: the bot on Telegram, by long polling or behind a webhook."""

from __future__ import annotations

import argparse
import functools
import logging
import os

from bot.app import build_services
from bot.base.errors import ConfigError
from bot.base.settings import Settings
from bot.channels.telegram.app import ALLOWED_UPDATES, build_application, webhook_options

logger = logging.getLogger(__name__)


def run_telegram(settings: Settings, args: argparse.Namespace) -> int:
    """Run the bot until interrupted: long polling, or a webhook with --webhook-url."""
    # Opt in to PTB's timedelta durations now; the int form warns of its deprecation.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    webhook_url: str | None = getattr(args, "webhook_url", None)
    if settings.telegram.replicas and not webhook_url:
        # Polling would delete the webhook the other replicas are served by.
        raise ConfigError("preventbot.telegram.replicas: several replicas need --webhook-url")
    application = build_application(settings, functools.partial(build_services, settings))
    if webhook_url:
        options = webhook_options(settings, webhook_url, args.listen, args.port, os.environ)
        logger.info("Webhook mode: listening on %s:%d", args.listen, args.port)
        application.run_webhook(**options)
    else:
        logger.info("Long polling mode")
        application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    return 0
