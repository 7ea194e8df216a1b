"""A small fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and benchmarks.

Point a bot at it through `base_url` (PTB posts to `{base_url}{token}/{method}`)::

    async with FakeBotAPI() as api:
        application = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        api.push(api.text_update(chat_id=7, text="hello"))   # the next getUpdates returns it
        [call] = await api.wait_for("sendMessage")           # what the bot sent
        call.params["text"], call.params["reply_markup"]     # JSON fields are decoded

- Every call is recorded in `api.calls` (method + decoded params). A method it does not know, or
  a wrong token, is recorded in `api.unexpected` and answered 404: tests assert it stays empty.
- `api.fail_next("sendMessage", 429, retry_after=1)` or `api.fail_next("sendMessage", 403)`
  makes the next call(s) of a method fail the way Telegram does.
- `await api.stop()` closes the listening socket and every open connection (the server is
  down); `await api.start()` brings it back on the same port.
- `api.chat_members[(chat_id, user_id)] = "administrator"` sets what getChatMember answers
  (default "member").
- getUpdates long-polls: it returns as soon as updates are queued, or after `poll_timeout`
  seconds (short, so that a stopping bot never waits long).
- Webhooks: `api.use_webhooks([url1, url2], secret)` stands for Telegram plus the reverse proxy
  in front of several replicas; `await api.deliver(update)` POSTs it to the next URL in turn
  (or `to=` one), with the secret header, and, as Telegram does, sends it again to the next one
  on any non-2xx answer or connection error. `duplicate=True` sends it once more after it was
  accepted (Telegram never got the 200); `api.deliveries` records every attempt.

A minimal HTTP/1.1 server on asyncio streams with keep-alive; requests are form-encoded as PTB
sends them (JSON bodies are accepted too).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Final
from urllib.parse import parse_qsl

import httpx

TOKEN: Final = "123456789:fake-token-for-tests-only"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
BOT_ID: Final = 123456789
BOT_USERNAME: Final = "preventbot_test_bot"

# Parameters that PTB sends JSON-encoded (everything else is a plain string, e.g. `text`).
JSON_PARAMS: Final = frozenset(
    {
        "allowed_updates",
        "cache_time",
        "chat_id",
        "commands",
        "disable_notification",
        "drop_pending_updates",
        "entities",
        "limit",
        "link_preview_options",
        "max_connections",
        "message_id",
        "offset",
        "protect_content",
        "reply_markup",
        "reply_parameters",
        "scope",
        "show_alert",
        "timeout",
        "user_id",
    }
)
# Methods answered with `true`.
TRUE_METHODS: Final = frozenset(
    {
        "answerCallbackQuery",
        "close",
        "deleteMyCommands",
        "deleteWebhook",
        "logOut",
        "sendChatAction",
        "setChatMenuButton",
        "setMyCommands",
        "setWebhook",
    }
)


@dataclass(frozen=True, slots=True)
class Call:
    """One request the bot made: the Bot API method and its decoded parameters."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One attempt at delivering an update: where, and the HTTP status (0: no connection)."""

    update_id: int
    url: str
    status: int


@dataclass(frozen=True, slots=True)
class Failure:
    """How to answer one call instead of succeeding."""

    status: int
    description: str
    retry_after: int | None = None
    migrate_to_chat_id: int | None = None


class FakeBotAPI:
    """The fake server; see the module docstring for the API."""

    def __init__(self, token: str = TOKEN, *, poll_timeout: float = 0.2, port: int = 0) -> None:
        self.token = token
        self.poll_timeout = poll_timeout
        self.port = port
        self.calls: list[Call] = []
        self.unexpected: list[str] = []
        self.chat_members: dict[tuple[int, int], str] = {}
        self.bot_user: dict[str, Any] = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "preventbot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.deliveries: list[WebhookDelivery] = []
        self._webhooks: tuple[str, ...] = ()
        self._webhook_secret = ""
        self._next_webhook = itertools.count()
        self._client: httpx.AsyncClient | None = None

    # Life cycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to give PTB as base_url (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def running(self) -> bool:
        """True while the server accepts connections."""
        return self._server is not None

    async def start(self) -> None:
        """Listen on 127.0.0.1 (a free port the first time, the same port afterwards)."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Go down: close the listening socket and every open connection."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._server is None:
            return
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # What the test controls ---------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for the next getUpdates; returns its update_id."""
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._new_update.set()
        return int(update["update_id"])

    def numbered(self, update: dict[str, Any]) -> dict[str, Any]:
        """The update with the next update_id (Telegram's increase), to know it beforehand."""
        update["update_id"] = next(self._update_ids)
        return update

    def use_webhooks(self, urls: Sequence[str], secret_token: str) -> None:
        """Deliver updates to these URLs (the replicas behind the proxy), with this secret."""
        self._webhooks = tuple(urls)
        self._webhook_secret = secret_token

    async def deliver(
        self,
        update: dict[str, Any],
        *,
        to: int | None = None,
        duplicate: bool = False,
        attempts: int = 6,
    ) -> int:
        """POST an update to a replica until one answers 2xx; its update_id.

        Like Telegram, it waits for the answer (a chat's next update comes after it), tries the
        next replica on an error, and with `duplicate` sends it again once it was accepted.
        """
        update.setdefault("update_id", next(self._update_ids))
        await self._post_until_accepted(update, to, attempts)
        if duplicate:
            await self._post_until_accepted(update, None, attempts)
        return int(update["update_id"])

    async def _post_until_accepted(
        self, update: dict[str, Any], to: int | None, attempts: int
    ) -> None:
        if not self._webhooks:
            raise RuntimeError("no webhook URLs: call use_webhooks first")
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=30)
        headers = {SECRET_HEADER: self._webhook_secret}
        for attempt in range(attempts):
            if to is not None and attempt == 0:
                url = self._webhooks[to]
            else:
                url = self._webhooks[next(self._next_webhook) % len(self._webhooks)]
            try:
                response = await self._client.post(url, json=update, headers=headers)
                status = response.status_code
            except httpx.TransportError:
                status = 0  # the replica is down: the proxy answers 502, Telegram retries
            self.deliveries.append(WebhookDelivery(int(update["update_id"]), url, status))
            if 200 <= status < 300:
                return
        raise AssertionError(f"update {update['update_id']} refused {attempts} times")

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error (429 needs `retry_after`)."""
        if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
            retry_after = 1
        text = description or _DESCRIPTIONS.get(status, HTTPStatus(status).phrase)
        for _ in range(times):
            self._failures[method].append(Failure(status, text, retry_after, migrate_to_chat_id))

    def calls_of(self, method: str) -> list[Call]:
        """The recorded calls of one method, in order."""
        return [call for call in self.calls if call.method == method]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """The texts of every sendMessage (to `chat_id` if given), in order."""
        return [
            str(call.params["text"])
            for call in self.calls_of("sendMessage")
            if chat_id is None or call.params.get("chat_id") == chat_id
        ]

    async def wait_for(self, method: str, count: int = 1, within: float = 10.0) -> list[Call]:
        """Wait until `method` was called at least `count` times; return those calls."""
        async with asyncio.timeout(within):
            while len(self.calls_of(method)) < count:
                self._new_call.clear()
                await self._new_call.wait()
        return self.calls_of(method)[:count]

    async def wait_idle(self, quiet: float = 0.3, within: float = 10.0) -> None:
        """Wait until the queue is drained and no call other than getUpdates came for `quiet` s."""
        async with asyncio.timeout(within):
            while True:
                before = len([c for c in self.calls if c.method != "getUpdates"])
                await asyncio.sleep(quiet)
                after = len([c for c in self.calls if c.method != "getUpdates"])
                if before == after and not self._updates:
                    return

    # Update builders ------------------------------------------------------------------------

    def user(self, user_id: int, language_code: str | None = "fr") -> dict[str, Any]:
        """A Telegram user object."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code is not None:
            user["language_code"] = language_code
        return user

    def chat(self, chat_id: int, chat_type: str | None = None) -> dict[str, Any]:
        """A chat of `chat_type`; by default private for positive ids, else a supergroup."""
        chat_type = chat_type or ("private" if chat_id > 0 else "supergroup")
        if chat_type == "private":
            return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        return {"id": chat_id, "type": chat_type, "title": "PLP Test"}

    def message(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        language_code: str | None = "fr",
        chat_type: str | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """A message object; `content` adds text=, photo=, sticker=, entities=..."""
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type),
            "from": self.user(user_id if user_id is not None else chat_id, language_code),
            **content,
        }

    def bot_message(self, chat_id: int, text: str = "…", **options: Any) -> dict[str, Any]:
        """A message the bot sent earlier (to reply to, or under a button)."""
        return {**self.message(chat_id, text=text, **options), "from": self.bot_user}

    def text_update(self, chat_id: int, text: str, **options: Any) -> dict[str, Any]:
        """An update with a new text message (commands get their bot_command entity)."""
        message = self.message(chat_id, text=text, **options)
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0].encode("utf-16-le", "surrogatepass")) // 2
            entity = {"type": "bot_command", "offset": 0, "length": length}
            message["entities"] = [entity, *message.get("entities", [])]
        return {"message": message}

    def chat_member(self, user: dict[str, Any], status: str) -> dict[str, Any]:
        """A ChatMember object: `user` with this status ("member", "kicked", "creator"...)."""
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, False))
        if status == "kicked":
            member["until_date"] = 0
        return member

    def callback_update(
        self,
        chat_id: int,
        data: str,
        *,
        user_id: int | None = None,
        language_code: str | None = "fr",
        message_id: int | None = None,
        chat_type: str | None = None,
    ) -> dict[str, Any]:
        """An update for a pressed inline button under a message the bot sent."""
        sender = self.user(user_id if user_id is not None else chat_id, language_code)
        bot_message = self.bot_message(chat_id, chat_type=chat_type)
        if message_id is not None:
            bot_message["message_id"] = message_id
        query = {
            "id": str(next(self._message_ids)),
            "from": sender,
            "chat_instance": str(chat_id),
            "data": data,
            "message": bot_message,
        }
        return {"callback_query": query}

    # The server ---------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                path, headers, body = request
                status, payload = await self._dispatch(path, headers, body)
                data = json.dumps(payload).encode()
                head = (
                    f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
                    "Content-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n"
                    "Connection: keep-alive\r\n\r\n"
                )
                writer.write(head.encode() + data)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _dispatch(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            self.unexpected.append(f"wrong path {path[:5]}…")
            return _error(HTTPStatus.UNAUTHORIZED, "Unauthorized")
        method = path[len(prefix) :].split("?")[0]
        params = _decode(headers.get("content-type", ""), body)
        self.calls.append(Call(method, params))
        self._new_call.set()
        if self._failures[method]:
            failure = self._failures[method].popleft()
            return _error(
                failure.status,
                failure.description,
                failure.retry_after,
                failure.migrate_to_chat_id,
            )
        handler = getattr(self, f"_api_{method}", None)
        if handler is not None:
            return HTTPStatus.OK, {"ok": True, "result": await handler(params)}
        if method in TRUE_METHODS:
            return HTTPStatus.OK, {"ok": True, "result": True}
        self.unexpected.append(method)
        return _error(HTTPStatus.NOT_FOUND, "Not Found: method not found")

    async def _api_getMe(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self.bot_user

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:  # noqa: N802
        offset = int(params.get("offset") or 0)
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()
        if not self._updates and params.get("timeout"):
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), self.poll_timeout)
        limit = int(params.get("limit") or 100)
        return list(itertools.islice(self._updates, limit))

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:  # noqa: N802
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(int(params["chat_id"])),
            "from": self.bot_user,
            "text": params.get("text", ""),
        }
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:  # noqa: N802
        if "inline_message_id" in params:
            return True
        return {
            "message_id": int(params["message_id"]),
            "date": int(time.time()),
            "edit_date": int(time.time()),
            "chat": self.chat(int(params["chat_id"])),
            "from": self.bot_user,
            "text": params.get("text", ""),
        }

    async def _api_getChatMember(self, params: dict[str, Any]) -> Any:  # noqa: N802
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.chat_members.get((chat_id, user_id), "member")
        return self.chat_member(self.user(user_id), status)


_DESCRIPTIONS: Final = {
    400: "Bad Request: message text is empty",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry later",
}
_ADMIN_RIGHTS: Final = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def _error(
    status: int,
    description: str,
    retry_after: int | None = None,
    migrate_to_chat_id: int | None = None,
) -> tuple[int, Any]:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        payload["parameters"] = {"retry_after": retry_after}
    if migrate_to_chat_id is not None:
        payload["parameters"] = {"migrate_to_chat_id": migrate_to_chat_id}
    return status, payload


def _decode(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        decoded = json.loads(body)
        return decoded if isinstance(decoded, dict) else {}
    params: dict[str, Any] = {}
    for name, value in parse_qsl(body.decode(), keep_blank_values=True):
        params[name] = json.loads(value) if name in JSON_PARAMS else value
    return params


async def _read_request(
    reader: asyncio.StreamReader,
) -> tuple[str, dict[str, str], bytes] | None:
    line = await reader.readline()
    if not line.strip():
        return None
    _verb, path, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _sep, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        raise ConnectionError("chunked bodies are not supported by the fake server")
    body = await reader.readexactly(int(headers.get("content-length") or 0))
    return path, headers, body
