"""Channels: the ways citizens talk to the bot (Telegram, the local console)."""
