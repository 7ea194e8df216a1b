"""Run `python -m bot` as the `preventbot` command."""

from bot.cli.main import main

raise SystemExit(main())
