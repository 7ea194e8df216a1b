"""Request bodies are limited (`web.max_form_bytes`): a larger form gets a clear 413 page.

The limit is checked on the declared Content-Length and again on the bytes actually read, so a
client cannot lie its way past it. The error is raised where the page reads its form, and the
application's handler for `FormTooLargeError` answers (see `errors.py`).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class FormTooLargeError(Exception):
    """The request body is larger than the configured limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit


class BodyLimitMiddleware:
    """Counts the bytes of each request body and stops at the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a `receive` that refuses too many bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        too_large = not declared.isdigit() or int(declared) > self.limit
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:
                raise FormTooLargeError(self.limit)
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise FormTooLargeError(self.limit)
            return message

        await self.app(scope, limited, send)
