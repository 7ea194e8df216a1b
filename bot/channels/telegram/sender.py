"""Push messages nobody asked for (campaign reminders) over Telegram: the reminders Sender."""

from __future__ import annotations

import datetime as dtm
import logging
from collections.abc import Sequence

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.base.turns import Reply
from bot.channels.telegram.io import send_reply
from bot.channels.telegram.ratelimit import broadcasting
from bot.reminders.sender import SendResult, SendStatus

logger = logging.getLogger(__name__)

# A reminder that failed on the network is retried by the next pass, not here: no waiting.
NO_RETRIES: Sequence[float] = ()


class TelegramSender:
    """Sends one reply (HTML, split under the limit, keyboard) and never raises Telegram errors."""

    def __init__(
        self,
        bot: Bot,
        network_retry_delays: Sequence[float] = NO_RETRIES,
        paid_broadcast: bool = False,
    ) -> None:
        self.bot = bot
        self.network_retry_delays = network_retry_delays
        # reminders.paid_broadcast: up to 1,000 messages/s, paid in Telegram Stars.
        self.paid_broadcast = paid_broadcast

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        """Send `reply` to `chat_id` and say how it went."""
        try:
            with broadcasting():  # under the broadcast share of a shared sending budget
                await send_reply(
                    self.bot, chat_id, reply, self.network_retry_delays, self.paid_broadcast
                )
        except Forbidden as exc:  # blocked by the user, removed from the group, account deleted
            return SendResult(SendStatus.FORBIDDEN, detail=exc.message)
        except RetryAfter as exc:
            return SendResult(SendStatus.RETRY_LATER, seconds(exc.retry_after), exc.message)
        except ChatMigrated as exc:  # a group upgraded to a supergroup has a new id
            return SendResult(SendStatus.MOVED, detail=exc.message, new_chat_id=exc.new_chat_id)
        except BadRequest as exc:  # before NetworkError: BadRequest is a subclass of it
            logger.warning("Reminder rejected by Telegram: %s", exc.message)
            return SendResult(SendStatus.FAILED, detail=exc.message)
        except NetworkError as exc:  # TimedOut included
            return SendResult(SendStatus.RETRY_LATER, detail=exc.message)
        except TelegramError as exc:  # InvalidToken, Conflict...
            logger.warning("Reminder not sent: %s", exc.message)
            return SendResult(SendStatus.FAILED, detail=exc.message)
        return SendResult(SendStatus.SENT)


def seconds(value: float | dtm.timedelta) -> float:
    """PTB gives retry_after in seconds or, with PTB_TIMEDELTA set, as a timedelta."""
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)
