"""The `preventbot` command: parse the command line, load settings, start a channel or a tool."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.base.errors import PreventbotError
from bot.base.languages import LANGUAGES
from bot.base.log_redaction import install_redaction
from bot.base.settings import Settings, load_settings
from bot.cli import db as db_cli
from bot.staff.links import SECRET_PATTERNS
from bot.storage import ROLES


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="preventbot", description=__doc__)
    parser.add_argument("--config", help="path to config.yml (default: the project's)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="Telegram if TELEGRAM_BOT_TOKEN is set, else the local chat")
    commands.add_parser("chat", help="chat in the terminal (one message per line on stdin)")
    telegram = commands.add_parser("telegram", help="run the Telegram bot")
    telegram.add_argument(
        "--webhook-url", help="public HTTPS URL: webhook mode instead of polling"
    )
    telegram.add_argument("--listen", default="127.0.0.1", help="webhook listen address")
    telegram.add_argument("--port", type=int, default=8443, help="webhook listen port")
    content = commands.add_parser("content", help="check the content or list its gaps")
    content_commands = content.add_subparsers(dest="action", required=True)
    content_commands.add_parser("check", help="validate every content file")
    gaps = content_commands.add_parser("gaps", help="the most frequent unanswered questions")
    gaps.add_argument("--limit", type=int, default=30)
    nlu = commands.add_parser("nlu", help="train, evaluate or use the NLU engine")
    nlu_commands = nlu.add_subparsers(dest="action", required=True)
    nlu_commands.add_parser("train", help="train and cache the embedded model")
    nlu_commands.add_parser(
        "seed", help="write nlu/embeddings.npz: the training sentences' embeddings, shipped"
    )
    nlu_commands.add_parser("parse", help="JSON lines in on stdin, JSON lines out")
    evaluate = nlu_commands.add_parser("eval", help="accuracy report on a Rasa-format file")
    evaluate.add_argument("files", nargs="+", help="Rasa YAML files (the folder name or --lang)")
    evaluate.add_argument("--lang", help="language of the examples when not in the path")
    reminders = commands.add_parser("reminders", help="campaign reminders")
    reminder_commands = reminders.add_subparsers(dest="action", required=True)
    run_due = reminder_commands.add_parser("run-due", help="send the reminders that are due now")
    run_due.add_argument("--now", help="act as if it were this ISO time (e.g. to catch up)")
    run_due.add_argument("--no-limit", action="store_true", help="no broadcast rate limit")
    run_due.add_argument("--concurrency", type=int, default=8, help="parallel sends (8)")
    announce = reminder_commands.add_parser("announce", help="announce a local campaign")
    announce.add_argument("--places", required=True, help="postcodes or names, e.g. 4700,Eupen")
    announce.add_argument(
        "--text", action="append", required=True, metavar="LANG=TEXT", help='e.g. fr="…"'
    )
    announce.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reminder_commands.add_parser("list", help="the next date of each calendar campaign")
    web = commands.add_parser("web", help="the prevention services' workspace (web pages)")
    web.add_argument("--host", default="127.0.0.1", help="listen address (127.0.0.1)")
    web.add_argument("--port", type=int, default=8080, help="listen port (8080)")
    web_commands = web.add_subparsers(dest="action")
    invite = web_commands.add_parser("invite", help="create a staff account, print its link")
    invite.add_argument("name", help="the staff member's name as colleagues know it")
    invite.add_argument("--role", required=True, choices=ROLES)
    invite.add_argument("--language", choices=LANGUAGES, help="its interface language")
    invite.add_argument("--telegram", type=int, help="link this Telegram user id (for /signin)")
    db_cli.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `preventbot` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpx logs every request URL at INFO, and Telegram URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # aiosqlite's debug lines quote every SQL parameter: messages, CSRF tokens.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    install_redaction(patterns=SECRET_PATTERNS)  # sign-in links and codes never in a log
    try:
        settings = load_settings(None if args.config is None else Path(args.config))
        return dispatch(args, settings)
    except PreventbotError as exc:
        print(f"preventbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen command."""
    command = args.command or "run"
    if command == "run":
        command = "telegram" if settings.telegram.token is not None else "chat"
    if command == "chat":
        from bot.cli.chat import run_console

        return asyncio.run(run_console(settings))
    if command == "telegram":
        from bot.cli.telegram import run_telegram

        return run_telegram(settings, args)
    if command == "content":
        from bot.cli import content as content_cli

        return content_cli.run(args, settings)
    if command == "nlu":
        from bot.cli import nlu as nlu_cli

        return nlu_cli.run(args, settings)
    if command == "db":
        return db_cli.run(args, settings)
    if command == "reminders":
        from bot.cli import reminders as reminders_cli

        return reminders_cli.run(args, settings)
    if command == "web":
        from bot.cli import web as web_cli

        return web_cli.run(args, settings)
    raise AssertionError(f"unknown command {command}")
