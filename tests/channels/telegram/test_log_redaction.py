"""The token never reaches a log line: messages, arguments, tracebacks, every logger."""

from __future__ import annotations

import logging

import pytest

from bot.base.log_redaction import REDACTED, RedactingFilter, install_redaction

SECRET = "987654:SECRET-token_value"


def record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, msg, args, exc_info)


def test_the_message_and_its_arguments_are_scrubbed() -> None:
    redactor = RedactingFilter((SECRET,))
    entry = record(
        'HTTP Request: POST %s "%s"', f"https://api.telegram.org/bot{SECRET}/getMe", 200
    )
    assert redactor.filter(entry) is True
    assert entry.getMessage() == (
        f'HTTP Request: POST https://api.telegram.org/bot{REDACTED}/getMe "200"'
    )


def test_the_url_encoded_form_is_scrubbed() -> None:
    redactor = RedactingFilter((SECRET,))
    entry = record("GET /bot987654%3ASECRET-token_value/getMe")
    redactor.filter(entry)
    assert "SECRET" not in entry.getMessage()


def test_tracebacks_are_scrubbed() -> None:
    redactor = RedactingFilter((SECRET,))
    try:
        raise ValueError(f"cannot reach https://api.telegram.org/bot{SECRET}/getMe")
    except ValueError as exc:
        entry = record("request failed", exc=exc)
    redactor.filter(entry)
    text = logging.Formatter().format(entry)
    assert SECRET not in text
    assert REDACTED in text
    assert "ValueError" in text


def test_records_without_secrets_are_untouched() -> None:
    redactor = RedactingFilter((SECRET,))
    entry = record("%d topics", 36)
    redactor.filter(entry)
    assert (entry.msg, entry.args) == ("%d topics", (36,))


def test_installed_redaction_covers_every_logger_and_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_redaction(SECRET)
    install_redaction(SECRET)  # idempotent
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").info("HTTP Request: POST %s", f"http://x/bot{SECRET}/getUpdates")
    message = "token=" + SECRET  # the secret in the message itself, not an argument
    logging.getLogger("some.library").debug(message)
    assert SECRET not in caplog.text
    assert caplog.text.count(REDACTED) == 2
