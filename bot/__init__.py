"""preventbot: prevention advice for Belgian citizens, on Telegram and in a local chat."""

__version__ = "0.1.0"
