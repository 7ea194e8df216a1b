"""Inline keyboards from the core's buttons, and the callback-data patterns the handlers match."""

from __future__ import annotations

import logging
import re
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.base.turns import MAX_CALLBACK_BYTES, Button, Reply
from bot.dialogue import replies as r

logger = logging.getLogger(__name__)

MAX_LABEL: Final = 64  # Telegram accepts longer labels, but they are cut on screen anyway

# Anchored patterns on the core's prefixes (dialogue/replies.py); "@xx" may follow.
# Menu navigation edits the message in place; everything else is answered with a new message.
MENU_BUTTONS: Final = re.compile(rf"^(?:{re.escape(r.CB_MENU)}$|{re.escape(r.CB_GROUP)})")


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's rows of buttons as an inline keyboard (None when it has no buttons)."""
    rows = [
        [button for button in (_button(b) for b in row) if button is not None]
        for row in reply.buttons
    ]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def shown_label(button: Button) -> str | None:
    """The label Telegram shows for a button, or None when the button is left out."""
    if len(button.data.encode("utf-8")) > MAX_CALLBACK_BYTES or not button.data:
        return None
    return " ".join(button.label.split())[:MAX_LABEL] or "…"


def _button(button: Button) -> InlineKeyboardButton | None:
    label = shown_label(button)
    if label is None:
        # Truncated data would press another button: leave it out and say so in the log.
        logger.warning("Button %r dropped: callback data %r is invalid", button.label, button.data)
        return None
    return InlineKeyboardButton(label, callback_data=button.data)
