"""`preventbot web`: serve the workspace with uvicorn; `preventbot web invite`: a staff account.

The invitation's sign-in link goes to standard output only, never to a log.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

import uvicorn

from bot.app import engine_config
from bot.base.settings import Settings
from bot.staff import accounts
from bot.storage import Storage
from bot.web.app import build_web_services, create_app
from nlu import RetrainingNLU


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the workspace, or invite a staff member."""
    if args.action == "invite":
        return asyncio.run(invite(args, settings))
    return asyncio.run(serve(settings, args.host, args.port))


async def serve(settings: Settings, host: str, port: int) -> int:
    """Run the workspace until interrupted (beside a running bot: same database, WAL mode)."""
    # The inbox's own engine (grouping, what the bot now answers): loaded from the model cache.
    nlu = await asyncio.to_thread(RetrainingNLU.from_config, engine_config(settings))
    services = await build_web_services(settings, nlu=nlu)
    try:
        now, retention = services.now(), settings.gaps_retention_days
        await services.storage.staff.purge(now)  # expired sessions and links
        # Questions, votes and usage counts past their retention, as `content gaps` does.
        await services.storage.gaps.purge(now, retention)
        await services.storage.usage.purge(now, retention)
        app = create_app(services)
        config = uvicorn.Config(app, host=host, port=port, server_header=False, lifespan="off")
        print(f"Workspace on http://{host}:{port} ({settings.web.public_url})", file=sys.stderr)
        await uvicorn.Server(config).serve()
    finally:
        await services.storage.close()
    return 0


async def invite(args: argparse.Namespace, settings: Settings) -> int:
    """Create the account and print its sign-in link (valid 24 hours, usable once)."""
    language = args.language or settings.default_language
    storage = await Storage.open(settings.database)
    try:
        now = datetime.now(settings.timezone)
        member, url = await accounts.invite(
            storage.staff, args.name, args.role, language, settings.web.public_url, now
        )
        if args.telegram is not None:
            await storage.staff.change(member.id, telegram_id=args.telegram)
    finally:
        await storage.close()
    print(
        f"Sign-in link for {member.name} ({member.role}), valid 24 hours, usable once:",
        file=sys.stderr,
    )
    print(url)
    return 0
