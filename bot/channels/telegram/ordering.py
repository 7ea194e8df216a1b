"""Several replicas behind one webhook: each update recorded once, each chat's handled in order.

PTB's webhook answers Telegram 200 as soon as the update is on the application's queue, and
Telegram sends a chat's next update once the previous one got its 200, to whichever replica
the proxy picks. So:

1. `RecordingQueue.put` records the update in the shared database *before* the 200 (a failure
   there answers 500, and Telegram sends it again). A second delivery of the same update_id is
   refused by the primary key and dropped: handled once.
2. `ChatOrderProcessor` (PTB's update processor, several chats at a time) hands each update to
   `ChatOrder.handle_in_turn`: the replica that takes the chat's claim handles *all* the chat's
   pending updates, its own and those other replicas recorded, in update_id order; the others
   wait until their update is done. So one chat's updates never run at the same time, and
   never out of order, whatever replica received them.
3. A claim expires (`claim_seconds`, renewed while held): a replica that died mid-update holds
   its chats until then. `sweep` (a job on every replica) handles the updates left pending by
   a replica that died after answering 200.

After a crash an update being handled may be handled again (at least once): at most one update
per chat the dead replica was handling, once its claim expires. Nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Final

from telegram import Bot, Update
from telegram.ext import BaseUpdateProcessor

from bot.base.errors import StorageError
from bot.storage.received_updates import ReceivedUpdates

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
Handle = Callable[[Update], Awaitable[None]]

CLAIM_SECONDS: Final = 60.0  # a dead replica's chats wait this long at most
STALE_SECONDS: Final = 30.0  # an update pending this long is handled by any replica's sweep
KEEP_SECONDS: Final = 24 * 3600.0  # handled updates are remembered a day: Telegram's retries
WAIT_SECONDS: Final = (0.01, 0.02, 0.05, 0.1, 0.2)  # between attempts at a claim held elsewhere
CONCURRENT_CHATS: Final = 64


def chat_key(update: Update) -> int:
    """What orders an update: its chat, else its user (an inline button), else 0."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return 0


class ChatOrder:
    """Records updates and handles each chat's pending ones in order under a shared claim."""

    def __init__(
        self,
        store: ReceivedUpdates,
        bot: Bot,
        handle: Handle,
        clock: Clock = time.time,
        claim_seconds: float = CLAIM_SECONDS,
    ) -> None:
        self.store = store
        self.bot = bot
        self.handle = handle
        self.clock = clock
        self.claim_seconds = claim_seconds
        self.replica = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._finished = asyncio.Event()  # set whenever this replica finishes a drain

    async def record(self, update: Update) -> bool:
        """Record a received update; False if it was already handled (a repeated delivery)."""
        payload = json.dumps(update.to_dict(), ensure_ascii=False)
        if await self.store.record(update.update_id, chat_key(update), payload, self.clock()):
            return True
        if await self.store.is_done(update.update_id):
            logger.info("Update %d delivered again; already handled", update.update_id)
            return False
        # Recorded but not handled: the replica that recorded it may have died before it
        # answered (hence this retry). Handling it in turn is safe: claims and done marks.
        return True

    async def handle_in_turn(self, update: Update, own: Coroutine[Any, Any, None]) -> None:
        """Handle `update` after the chat's earlier ones, or wait while another replica does."""
        chat = chat_key(update)
        attempt = 0
        try:
            while not await self.store.is_done(update.update_id):
                if await self.drain(chat, {update.update_id: own}) is not None:
                    continue
                self._finished.clear()
                with contextlib.suppress(TimeoutError):
                    delay = WAIT_SECONDS[min(attempt, len(WAIT_SECONDS) - 1)]
                    await asyncio.wait_for(self._finished.wait(), delay)
                attempt += 1
        finally:
            own.close()  # not run here: another replica (or drain) handled the update

    async def drain(self, chat: int, own: dict[int, Coroutine[Any, Any, None]]) -> int | None:
        """Take the chat's claim and handle its pending updates in order; how many were
        handled, or None if another holds the claim."""
        owner = f"{self.replica}:{uuid.uuid4().hex[:8]}"
        if not await self.store.claim(chat, owner, self.clock(), self.claim_seconds):
            return None
        heartbeat = asyncio.create_task(self._keep(chat, owner))
        handled = 0
        try:
            while (pending := await self.store.next_pending(chat)) is not None:
                if heartbeat.done():  # the claim was lost (a very long update): the holder
                    break  # goes on with the chat
                await self._handle(pending.update_id, pending.payload, own)
                await self.store.mark_done(pending.update_id, self.clock())
                handled += 1
        finally:
            heartbeat.cancel()
            try:
                await self.store.release(chat, owner)
            except StorageError as exc:  # the claim then expires by itself
                logger.warning("Chat claim not released: %s", exc)
            self._finished.set()
        return handled

    async def _handle(
        self, update_id: int, payload: str, own: dict[int, Coroutine[Any, Any, None]]
    ) -> None:
        coroutine = own.pop(update_id, None)
        if coroutine is not None:
            await coroutine
            return
        try:
            update = Update.de_json(json.loads(payload), self.bot)
        except (ValueError, TypeError, KeyError) as exc:  # recorded by a newer or broken version
            logger.error("Recorded update %d cannot be read; skipped: %s", update_id, exc)
            return
        await self.handle(update)

    async def _keep(self, chat: int, owner: str) -> None:
        """Renew the claim every third of its period; end (lost) if another took it."""
        while True:
            await asyncio.sleep(self.claim_seconds / 3)
            if not await self.store.renew(chat, owner, self.clock() + self.claim_seconds):
                logger.warning("Chat claim lost while handling an update")
                return

    async def sweep(self, stale_seconds: float = STALE_SECONDS) -> int:
        """Handle updates pending for `stale_seconds` (their replica died), forget old ones;
        how many updates it handled."""
        now = self.clock()
        handled = 0
        for chat in await self.store.stale_chats(now - stale_seconds):
            handled += await self.drain(chat, {}) or 0
        await self.store.purge(now - KEEP_SECONDS, now)
        return handled


class RecordingQueue(asyncio.Queue[object]):
    """The application's update queue: an update is recorded in the database before it is
    queued (so before the webhook's 200), and a repeated delivery is dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.order: ChatOrder | None = None

    async def put(self, item: object) -> None:
        """Record, then queue (PTB's stop signal and everything else pass straight through)."""
        if (
            isinstance(item, Update)
            and self.order is not None
            and not await self.order.record(item)
        ):
            return
        await super().put(item)


class ChatOrderProcessor(BaseUpdateProcessor):
    """PTB's update processor: many chats at once, each chat's updates through `ChatOrder`."""

    def __init__(self, max_concurrent_updates: int = CONCURRENT_CHATS) -> None:
        super().__init__(max_concurrent_updates)
        self.order: ChatOrder | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle in chat order when attached; else as PTB would."""
        if self.order is None or not isinstance(update, Update):
            await coroutine
            return
        if not isinstance(coroutine, Coroutine):  # PTB passes process_update(update)
            raise TypeError("the update processor needs a coroutine")
        await self.order.handle_in_turn(update, coroutine)

    async def initialize(self) -> None:
        """Nothing to set up: the order is attached in post_init."""

    async def shutdown(self) -> None:
        """Nothing to close: the database belongs to the services."""
