"""Telegram handlers, one module per feature; each exposes `handlers()`.

They never import each other; their order is set in one place, `bot/channels/telegram/app.py`.
"""
