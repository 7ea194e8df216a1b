"""Run `python -m bot` as the `preventbot` command."""

from bot.cli import main

raise SystemExit(main())
