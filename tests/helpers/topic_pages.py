"""Builders for the topic pages' tests: the workspace on a copy of the content, form fields.

app = topics_app(settings, storage, content_dir)     # content_dir = copy_content(tmp_path)
csrf = await sign_in_as(client, app, "editor")
await client.post("/topics/plp.join/edit", data={"csrf": csrf})
fields = await editor_fields(client, "plp.join")  # the form as a browser would send it
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import httpx
from starlette.applications import Starlette

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.editorial import Editorial
from bot.storage import Storage
from bot.web.app import create_app
from bot.web.services import WebServices
from bot.web.signing import Signer
from tests.helpers.editorial import Ticking, rules_for
from tests.helpers.web import TEST_KEY

_INPUT = re.compile(r"<input\b[^>]*>", re.S)
_TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S)
_SELECTED = re.compile(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def topics_app(
    settings: Settings,
    storage: Storage,
    content_dir: Path,
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """The workspace on `content_dir` (a copy: approvals write to it) and the test's database."""
    settings = replace(settings, content_dir=content_dir)
    now = clock or Ticking()
    content = ContentStore.load(content_dir)
    translator = Translator(settings.languages)
    services = WebServices(settings, storage, content, translator, now, Signer(TEST_KEY))
    app = create_app(services)
    rules = rules_for(settings, content_dir)  # the training intents read once per session
    app.state.editorial = Editorial(storage, content, settings, now, rules)
    return app


def files_under(folder: Path) -> list[Path]:
    """Every file and folder under `folder`, sorted (to show that nothing was written)."""
    return sorted(folder.rglob("*"))


def form_values(page: str, form_id: str = "topic-form") -> dict[str, str]:
    """The values a browser would send for the form `form_id` of `page` (text fields only)."""
    start = page.index(f'id="{form_id}"')
    body = page[start : page.index("</form>", start)]
    values: dict[str, str] = {}
    for tag in _INPUT.findall(body):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if "name" in attributes and attributes.get("type", "text") in ("text", "hidden"):
            values[attributes["name"]] = html.unescape(attributes.get("value", ""))
    for attributes_text, text in _TEXTAREA.findall(body):
        attributes = dict(_ATTRIBUTE.findall(attributes_text))
        values[attributes["name"]] = html.unescape(text.removeprefix("\n"))
    for name, options in _SELECTED.findall(body):
        chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', options)
        values[name] = html.unescape(chosen[1]) if chosen else ""
    return values


async def editor_fields(client: httpx.AsyncClient, topic_id: str) -> dict[str, str]:
    """The editor's form of `topic_id` as the client's browser would send it."""
    page = await client.get(f"/topics/{topic_id}")
    assert page.status_code == 200, page.text
    return form_values(page.text)
