"""The Rasa backend over real HTTP, against a fake Rasa server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from nlu.errors import BackendUnavailableError
from nlu.rasa_server import RasaServerNLU
from nlu.types import EMERGENCY_INTENT, OUT_OF_SCOPE_INTENT, IntentScore, Parse

PARSED = {
    "text": "hello",
    "intent": {"name": "alarm.declare", "confidence": 0.91},
    "entities": [],
    "intent_ranking": [
        {"name": "alarm.declare", "confidence": 0.91},
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "camera.declare", "confidence": 0.05},
    ],
}


class FakeRasa(ThreadingHTTPServer):
    """Answers POST /model/parse with whatever the test sets; records the requests."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.status = 200
        self.body: bytes = json.dumps(PARSED).encode()
        self.requests: list[tuple[str, object]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeRasa

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.requests.append((self.path, json.loads(self.rfile.read(length))))
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


class LocalEngine:
    """The embedded engine's stand-in: answers greet, in the hinted language."""

    def __init__(self) -> None:
        self.calls = 0

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        self.calls += 1
        return Parse(text, language_hint or "fr", "greet", 0.9, (IntentScore("greet", 0.9),))


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def backend(url: str, local: LocalEngine, client: httpx.AsyncClient) -> RasaServerNLU:
    return RasaServerNLU(url, 1.0, local, client, detect_language=lambda _t, hint: hint or "nl")


async def test_server_up(fake_rasa: FakeRasa) -> None:
    local = LocalEngine()
    async with httpx.AsyncClient(timeout=1.0) as client:
        parse = await backend(fake_rasa.url + "/", local, client).parse("hello", "de")
    assert fake_rasa.requests == [("/model/parse", {"text": "hello"})]
    assert (parse.intent, parse.confidence, parse.language, parse.fallback) == (
        "alarm.declare",
        0.91,
        "de",
        False,
    )
    assert [s.intent for s in parse.ranking] == ["alarm.declare", "camera.declare"]
    assert local.calls == 0


async def test_rasa_fallback_becomes_out_of_scope(fake_rasa: FakeRasa) -> None:
    fake_rasa.body = json.dumps(
        {**PARSED, "intent": {"name": "nlu_fallback", "confidence": 0.5}}
    ).encode()
    async with httpx.AsyncClient(timeout=1.0) as client:
        parse = await backend(fake_rasa.url, LocalEngine(), client).parse("which wine with fondue")
    assert (parse.intent, parse.fallback) == (OUT_OF_SCOPE_INTENT, True)


async def test_the_scope_rules_apply_to_the_servers_answers(fake_rasa: FakeRasa) -> None:
    async with httpx.AsyncClient(timeout=1.0) as client:
        rasa = backend(fake_rasa.url, LocalEngine(), client)
        story = await rasa.parse(
            "We moved here in spring. The street is usually calm. My wife just called from "
            "home. Someone is trying to open our back door right now."
        )
        noise = await rasa.parse("😂😂😂")
        bot = await rasa.parse("are you a real person?")
        abroad = await rasa.parse("how do I declare an alarm in the Netherlands")
    assert story.intent == EMERGENCY_INTENT  # told as a story: read two sentences at a time
    assert (noise.intent, bot.intent, abroad.intent) == ("noise", "bot_identity", "other_country")
    assert all(parse.fallback for parse in (noise, bot, abroad))


class AlarmedEngine(LocalEngine):
    """An embedded engine whose classifier takes every message for a crime in progress."""

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        self.calls += 1
        return Parse(text, "en", EMERGENCY_INTENT, 0.7, (IntentScore(EMERGENCY_INTENT, 0.7),))


async def test_the_embedded_engine_is_a_second_opinion_on_emergencies(
    fake_rasa: FakeRasa,
) -> None:
    alarmed = AlarmedEngine()
    async with httpx.AsyncClient(timeout=1.0) as client:
        rasa = RasaServerNLU(fake_rasa.url, 1.0, LocalEngine(), client, second_opinion=alarmed)
        parse = await rasa.parse("my gran says there are men in her back garden")
        alone = await backend(fake_rasa.url, LocalEngine(), client).parse("hello")
    assert (parse.intent, alarmed.calls) == (EMERGENCY_INTENT, 1)
    assert alone.intent == "alarm.declare"  # no second opinion: Rasa's answer stands


async def test_emergency_rules_override_the_server(fake_rasa: FakeRasa) -> None:
    async with httpx.AsyncClient(timeout=1.0) as client:
        parse = await backend(fake_rasa.url, LocalEngine(), client).parse(
            "HELP a burglar is in my house"
        )
    assert (parse.intent, parse.confidence) == (EMERGENCY_INTENT, 1.0)
    assert parse.ranking[0] == IntentScore(EMERGENCY_INTENT, 1.0)


async def test_server_down_falls_back_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    server = FakeRasa()  # bound, then closed: nothing listens on this port any more
    url = server.url
    server.server_close()
    local = LocalEngine()
    caplog.set_level(logging.WARNING, logger="nlu.rasa_server")
    async with httpx.AsyncClient(timeout=1.0) as client:
        parse = await backend(url, local, client).parse("hello", "en")
    assert (parse.intent, parse.language, local.calls) == ("greet", "en", 1)
    assert "Rasa server unavailable" in caplog.text
    assert url in caplog.text


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, b"<html>not json</html>"),
        (200, b'{"intent": {"confidence": 0.3}}'),
        (200, b'{"intent": {"name": "greet", "confidence": "high"}}'),
        (500, b'{"error": "boom"}'),
        (404, b""),
    ],
)
async def test_garbage_answers_fall_back(fake_rasa: FakeRasa, status: int, body: bytes) -> None:
    fake_rasa.status, fake_rasa.body = status, body
    local = LocalEngine()
    async with httpx.AsyncClient(timeout=1.0) as client:
        rasa = backend(fake_rasa.url, local, client)
        with pytest.raises(BackendUnavailableError):
            await rasa.parse_remote("hello")
        parse = await rasa.parse("hello")
    assert (parse.intent, local.calls) == ("greet", 1)


async def test_empty_message_is_nothing_understood(fake_rasa: FakeRasa) -> None:
    fake_rasa.body = b'{"text": "", "intent": null, "entities": [], "intent_ranking": []}'
    async with httpx.AsyncClient(timeout=1.0) as client:
        parse = await backend(fake_rasa.url, LocalEngine(), client).parse("")
    assert (parse.intent, parse.fallback, parse.ranking) == (OUT_OF_SCOPE_INTENT, True, ())


async def test_timeout_falls_back(fake_rasa: FakeRasa) -> None:
    # A server that accepts the connection but never answers: the client's timeout decides.
    silent = threading.Event()

    class Silent(_Handler):
        def do_POST(self) -> None:
            silent.wait(5)

    fake_rasa.RequestHandlerClass = Silent
    local = LocalEngine()
    async with httpx.AsyncClient(timeout=0.2) as client:
        parse = await backend(fake_rasa.url, local, client).parse("hello")
    silent.set()
    assert local.calls == 1
    assert parse.intent == "greet"


async def test_aclose_closes_its_own_client() -> None:
    rasa = RasaServerNLU("http://127.0.0.1:9", 0.5, LocalEngine())
    await rasa.aclose()
    assert rasa._client.is_closed
