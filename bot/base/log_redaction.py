"""Keep secrets (the bot token) out of every log record, whoever logs it and wherever it goes.

httpx logs each request URL at INFO, and Telegram URLs contain the token; PTB and aiosqlite log
exceptions whose text may quote a URL. A filter on one handler would miss handlers added later
(pytest's, a systemd journal's), so the redaction runs when a record is created.
"""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any, Final
from urllib.parse import quote

REDACTED: Final = "[REDACTED]"


class RedactingFilter(logging.Filter):
    """Replaces each secret (and its URL-encoded form) in a record's message and traceback."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        """Redact these values too (empty strings are ignored)."""
        forms = {form for secret in secrets if secret for form in (secret, quote(secret, ""))}
        # Longest first, so a secret never hides part of a longer one.
        self._secrets = tuple(sorted(set(self._secrets) | forms, key=len, reverse=True))

    def scrub(self, text: str) -> str:
        """`text` with every secret replaced by [REDACTED]."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drops it."""
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it later, leave it alone
            return True
        scrubbed = self.scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            if self.scrub(text) != text:
                # Formatters use exc_text when it is set instead of formatting exc_info again.
                record.exc_text = self.scrub(text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


_LOCK: Final = threading.Lock()
_FILTER: Final = RedactingFilter()
_installed = False


def install_redaction(*secrets: str) -> RedactingFilter:
    """Redact `secrets` in every record created from now on, in this process; idempotent."""
    global _installed
    with _LOCK:
        _FILTER.add(*secrets)
        if not _installed:
            previous = logging.getLogRecordFactory()

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                _FILTER.filter(record)
                return record

            logging.setLogRecordFactory(factory)
            _installed = True
    return _FILTER
