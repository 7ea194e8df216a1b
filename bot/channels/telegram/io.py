"""The steps every Telegram handler shares: the flood check, one dialogue turn, sending replies."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Final, TypeVar

from telegram import Bot, CallbackQuery, LinkPreviewOptions, Message, MessageEntity, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError

from bot.base.i18n import N_
from bot.base.turns import Incoming, Reply, UserRecord, esc
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.flood import Verdict
from bot.channels.telegram.keyboards import inline_keyboard
from bot.channels.telegram.text import message_texts

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Waits before the second and third attempt when the network fails (flood control is the rate
# limiter's job: it waits out RetryAfter itself).
NETWORK_RETRY_DELAYS: Final[tuple[float, ...]] = (0.5, 2.0)
NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)
SLOW_DOWN: Final = N_(
    "You are sending messages very fast. Please slow down: I will answer again in a few seconds."
)


async def with_network_retries(
    call: Callable[[], Awaitable[T]], delays: Sequence[float] = NETWORK_RETRY_DELAYS
) -> T:
    """Run `call`, again after each delay when the network fails; the last error propagates."""
    for delay in delays:
        try:
            return await call()
        except BadRequest:
            raise  # the request itself is wrong: sending it again cannot help
        except NetworkError as exc:  # TimedOut included
            logger.warning("Network error, retrying in %.1f s: %s", delay, exc)
            await asyncio.sleep(delay)
    return await call()


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    delays: Sequence[float] = NETWORK_RETRY_DELAYS,
    paid_broadcast: bool = False,
) -> Message | None:
    """Send one reply as HTML, split under Telegram's limit; the keyboard goes on the last part.

    `paid_broadcast`: Telegram's paid broadcasts (allow_paid_broadcast), for reminders only.
    """
    keyboard = inline_keyboard(reply)
    chunks = message_texts(reply.text, keyboard is not None)
    sent: Message | None = None
    for index, chunk in enumerate(chunks):
        send = functools.partial(
            bot.send_message,
            chat_id,
            chunk,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=keyboard if index == len(chunks) - 1 else None,
            # None leaves the parameter out of the request (free sending, the default).
            allow_paid_broadcast=True if paid_broadcast else None,
        )
        sent = await with_network_retries(send, delays)
    return sent


async def acknowledge(query: CallbackQuery) -> None:
    """Answer a button press (stops the spinner); a query too old to answer is no error."""
    try:
        await query.answer()
    except BadRequest as exc:  # "query is too old", e.g. pressed before a restart
        logger.info("Callback query not answered: %s", exc.message)


async def chat_language(context: BotContext, chat_id: int, language_code: str | None) -> str:
    """The chat's language: its stored choice, then Telegram's language code, then the default."""
    user = await context.services.storage.users.get(chat_id) or UserRecord(chat_id)
    return context.dialogue.language_for(user, language_code)


async def say(update: Update, context: BotContext, message_id: str) -> None:
    """Send one interface message (a gettext message id) to the update's chat, translated."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    language = await chat_language(context, chat.id, user.language_code if user else None)
    text = context.services.translator.gettext(language)(message_id)
    await send_reply(context.bot, chat.id, Reply(esc(text)))


async def admit(update: Update, context: BotContext) -> bool:
    """The per-user flood check: False when the update must be ignored ("slow down" said once)."""
    user = update.effective_user
    if user is None:
        return True
    verdict = await context.flood.verdict(user.id, time.time())
    if verdict is Verdict.ALLOW:
        return True
    if verdict is Verdict.WARN:
        logger.info("Flood limit reached by a user; ignoring their messages for a while")
        await say(update, context, SLOW_DOWN)
    return False


async def ask_dialogue(chat_id: int, context: BotContext, incoming: Incoming) -> tuple[Reply, ...]:
    """The dialogue core's replies to `incoming` (valid Unicode: see bot/telegram_updates.py)."""
    return await context.dialogue.process(chat_id, incoming)


async def take_turn(update: Update, context: BotContext, incoming: Incoming) -> None:
    """Ask the dialogue core and send its replies to the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return
    for reply in await ask_dialogue(chat.id, context, incoming):
        await send_reply(context.bot, chat.id, reply)


def language_code(update: Update) -> str | None:
    """The sender's Telegram language code (it can be missing)."""
    user = update.effective_user
    return user.language_code if user is not None else None


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The text (or caption) without the bot's @mention if it mentions or replies to the bot.

    None when it does neither: in a group, chatter that is not meant for the bot.
    """
    text, entities = message.text, message.entities
    if text is None:
        text, entities = message.caption or "", message.caption_entities
    me = "@" + (bot.username or "").lower()
    mentions = {
        mention
        for mention in entity_texts(text, entities, MessageEntity.MENTION)
        if mention.lower() == me
    }
    if not mentions and not is_reply_to(message, bot):
        return None
    for mention in mentions:
        text = text.replace(mention, " ")
    return text.strip()


def entity_texts(text: str, entities: Sequence[MessageEntity], kind: str) -> list[str]:
    """The text of each entity of type `kind` (offsets count UTF-16 code units, as Telegram's).

    Unlike PTB's `parse_entities`, a forged entity that splits a character gives U+FFFD, no error.
    """
    units = text.encode("utf-16-le")
    return [
        units[2 * entity.offset : 2 * (entity.offset + entity.length)].decode(
            "utf-16-le", "replace"
        )
        for entity in entities
        if entity.type == kind
    ]


def is_reply_to(message: Message, bot: Bot) -> bool:
    """True if `message` replies to one of the bot's messages."""
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
