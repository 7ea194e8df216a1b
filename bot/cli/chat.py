"""Start the local chat channel over freshly built services."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.app import build_services
from bot.base.settings import Settings
from bot.channels.console import ConsoleChat


async def run_console(
    settings: Settings, source: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> int:
    """Chat in the terminal until end of input."""
    services = await build_services(settings)
    try:
        await ConsoleChat(services, out).run(source)
    finally:
        await services.storage.close()
    return 0
