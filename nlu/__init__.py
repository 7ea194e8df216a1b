"""preventbot's language understanding: a pure library, independent of the bot and Telegram."""
