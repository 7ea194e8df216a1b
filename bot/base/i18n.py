"""Interface text through gettext catalogs managed with babel, one per language."""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Final

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.base.languages import babel_locale

logger = logging.getLogger(__name__)

LOCALES_DIR: Final = Path(__file__).resolve().parents[1] / "locales"
DOMAIN: Final = "messages"
Gettext = Callable[[str], str]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for extraction without translating it now."""
    return message


class Translator:
    """Per-language gettext functions; the language is always passed explicitly."""

    def __init__(self, languages: Iterable[str], locales_dir: Path = LOCALES_DIR) -> None:
        self._catalogs = {lang: _load(locales_dir, lang) for lang in languages}

    def gettext(self, language: str) -> Gettext:
        """The translation function for `language` (untranslated text if the catalog is absent)."""
        catalog = self._catalogs.get(language)
        return catalog.gettext if catalog is not None else _identity

    def format_date(self, value: date, language: str) -> str:
        """A date the way people write it in `language` (e.g. 25 nov. 2026)."""
        return format_date(value, format="medium", locale=babel_locale(language))


def _identity(message: str) -> str:
    return message


def _load(locales_dir: Path, language: str) -> gettext.GNUTranslations | None:
    folder = locales_dir / language / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po_path.exists():
        logger.warning("No catalog for %s in %s", language, locales_dir)
        return None
    # No compiled catalog yet (fresh clone before `make`): compile the .po in memory.
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
