"""Keep secrets (the bot token) out of every log record, whoever logs it and wherever it goes.

httpx logs each request URL at INFO, and Telegram URLs contain the token; PTB and aiosqlite log
exceptions whose text may quote a URL. A filter on one handler would miss handlers added later
(pytest's, a systemd journal's), so the redaction runs when a record is created.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from typing import Any, Final
from urllib.parse import quote

REDACTED: Final = "[REDACTED]"


class RedactingFilter(logging.Filter):
    """Replaces each secret (and its URL-encoded form) in a record's message and traceback,
    and masks what matches a pattern (one-time tokens that have no fixed value)."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()
        self._patterns: tuple[re.Pattern[str], ...] = ()
        self.add(*secrets)

    def add_patterns(self, *patterns: re.Pattern[str]) -> None:
        """Mask what these patterns match, keeping their group 1: `(/signin/)[\\w-]+` turns
        `/signin/TOKEN` into `/signin/[REDACTED]`."""
        self._patterns = tuple(dict.fromkeys((*self._patterns, *patterns)))

    def mask(self, text: str) -> str:
        """`text` with every pattern's match masked."""
        for pattern in self._patterns:
            text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
        return text

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
        if self._patterns:
            self._mask_record(record)
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

    def _mask_record(self, record: logging.LogRecord) -> None:
        # In place, argument by argument: formatters that read `args` (uvicorn's access log
        # unpacks them) keep working.
        if isinstance(record.msg, str):
            record.msg = self.mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._mask_arg(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: self._mask_arg(arg) for key, arg in record.args.items()}

    def _mask_arg(self, arg: object) -> object:
        # Numbers stay numbers (for %d); any other object (httpx logs its URL objects) is
        # replaced by its masked text when that text held a match.
        if arg is None or isinstance(arg, int | float | bool):
            return arg
        try:
            text = arg if isinstance(arg, str) else str(arg)
        except Exception:  # logging reports a broken __str__ itself, later
            return arg
        masked = self.mask(text)
        return masked if masked != text else arg


_LOCK: Final = threading.Lock()
_FILTER: Final = RedactingFilter()
_installed = False


def install_redaction(
    *secrets: str, patterns: tuple[re.Pattern[str], ...] = ()
) -> RedactingFilter:
    """Redact `secrets` (and mask `patterns`) in every record created from now on, in this
    process; idempotent."""
    global _installed
    with _LOCK:
        _FILTER.add(*secrets)
        _FILTER.add_patterns(*patterns)
        if not _installed:
            previous = logging.getLogRecordFactory()

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                _FILTER.filter(record)
                return record

            logging.setLogRecordFactory(factory)
            _installed = True
    return _FILTER
