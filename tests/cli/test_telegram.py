"""`preventbot telegram`: replicas need a webhook (polling would delete it for all of them)."""

from __future__ import annotations

import argparse
from dataclasses import replace

import pytest

from bot.base.errors import ConfigError
from bot.base.settings import Secret, Settings, load_settings
from bot.cli.telegram import run_telegram
from tests.helpers.fake_bot_api import TOKEN


def test_replicas_refuse_to_poll(settings: Settings) -> None:
    telegram = replace(settings.telegram, token=Secret(TOKEN), replicas=True)
    with pytest.raises(ConfigError, match="replicas: several replicas need --webhook-url"):
        run_telegram(replace(settings, telegram=telegram), argparse.Namespace(webhook_url=None))


def test_replicas_are_switched_on_by_the_environment() -> None:
    assert not load_settings(environ={}).telegram.replicas
    assert load_settings(environ={"PREVENTBOT_REPLICAS": "1"}).telegram.replicas
    with pytest.raises(ConfigError, match=r"telegram\.replicas"):
        load_settings(environ={"PREVENTBOT_REPLICAS": "maybe"})
