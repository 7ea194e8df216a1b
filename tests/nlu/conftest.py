"""NLU fixtures: the backend under test (embedded, or the Rasa server for `make test-rasa`)."""

from __future__ import annotations

import asyncio
import os

import httpx
import pytest

from nlu.engine import EmbeddedNLU, NLUBackend
from nlu.evaluation import Report, evaluate, read_examples
from nlu.reader import LANGUAGES
from nlu.types import Parse
from tests.helpers.project import project_path


class _NoFallback:
    """Stands in for the embedded engine under `make test-rasa`: the server must answer."""

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        raise AssertionError(f"the Rasa server did not answer for {text!r}")


class _RasaPerCall:
    """The Rasa backend with one HTTP client per call: tests run in several event loops."""

    def __init__(self, url: str, nlu: EmbeddedNLU) -> None:
        self.url = url
        self.nlu = nlu

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        from nlu.rasa_server import RasaServerNLU

        async with httpx.AsyncClient(timeout=10.0) as client:
            rasa = RasaServerNLU(
                self.url,
                10.0,
                _NoFallback(),
                client,
                detect_language=self.nlu.detect_language,
                second_opinion=self.nlu,  # as `build_nlu` deploys it
            )
            return await rasa.parse(text, language_hint)


@pytest.fixture(scope="session")
def backend(trained_nlu: EmbeddedNLU) -> NLUBackend:
    """The embedded engine, or the Rasa server at RASA_URL when PREVENTBOT_NLU=rasa."""
    if os.environ.get("PREVENTBOT_NLU") == "rasa":
        return _RasaPerCall(os.environ.get("RASA_URL", "http://127.0.0.1:5005"), trained_nlu)
    return trained_nlu


@pytest.fixture(scope="session", params=["heldout", "heldout-blind"])
def heldout_report(backend: NLUBackend, request: pytest.FixtureRequest) -> Report:
    """The backend evaluated once on each set it never trained on (the split and the blind set)."""
    files = [project_path("nlu", request.param, f"{lang}.yml") for lang in LANGUAGES]
    return asyncio.run(evaluate(backend, read_examples(files)))
